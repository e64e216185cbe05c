/* The parsing machinery every command shares: strict numbers, formats, one loop over options and
 * words, one-line errors. What each command accepts is in command_options.c. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int usage_error(char *err, size_t err_size, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(err, err_size, fmt, ap);
        va_end(ap);
        return -EINVAL;
}

int check_list(const char *option, const char *text, size_t max_item, char *err, size_t err_size)
{
        if (!*text)
                return usage_error(err, err_size, "%s: the list is empty", option);
        for (const char *item = text;; ) {
                size_t len = strcspn(item, ",");
                if (len == 0)
                        return usage_error(err, err_size, "%s: '%s' has an empty item", option, text);
                if (len > max_item)
                        return usage_error(err, err_size, "%s: an item of '%.40s...' is longer than %zu "
                                           "characters", option, text, max_item);
                if (!item[len])
                        return 0;
                item += len + 1;
        }
}

int parse_whole(const char *option, const char *text, uint64_t min, uint64_t max, uint64_t *out,
                char *err, size_t err_size)
{
        /* strtoull accepts blanks, signs ("-1" wraps to a huge value) and 0x: allow digits only. */
        size_t digits = strspn(text, "0123456789");
        if (digits == 0 || text[digits] != '\0')
                return usage_error(err, err_size, "%s: '%s' is not a whole number", option, text);
        errno = 0;
        unsigned long long value = strtoull(text, NULL, 10);
        if (errno == ERANGE || value < min || value > max)
                return usage_error(err, err_size, "%s: %s is out of range (%llu to %llu)", option,
                                   text, (unsigned long long)min, (unsigned long long)max);
        *out = value;
        return 0;
}

int parse_seconds(const char *option, const char *text, double *out, char *err, size_t err_size)
{
        char *end;
        size_t allowed = strspn(text, "0123456789.");

        if (allowed == 0 || text[allowed] != '\0')
                return usage_error(err, err_size, "%s: '%s' is not a number of seconds", option, text);
        double value = strtod(text, &end);
        if (*end != '\0' || !isfinite(value))
                return usage_error(err, err_size, "%s: '%s' is not a number of seconds", option, text);
        if (value < OPTIONS_MIN_SECONDS || value > OPTIONS_MAX_SECONDS)
                return usage_error(err, err_size, "%s: %s is out of range (%g to %g seconds)", option,
                                   text, OPTIONS_MIN_SECONDS, OPTIONS_MAX_SECONDS);
        *out = value;
        return 0;
}

int parse_format(const char *text, bool csv_allowed, enum output_format *out, char *err,
                 size_t err_size)
{
        if (strcmp(text, "table") == 0)
                *out = FORMAT_TABLE;
        else if (strcmp(text, "json") == 0)
                *out = FORMAT_JSON;
        else if (csv_allowed && strcmp(text, "csv") == 0)
                *out = FORMAT_CSV;
        else
                return usage_error(err, err_size, "--format: '%s' is not one of %s", text,
                                   csv_allowed ? "table, csv, json" : "table, json");
        return 0;
}

int parse_shot_mode(const char *text, enum shot_mode *out, char *err, size_t err_size)
{
        if (strcmp(text, "pulled") == 0)
                *out = SHOT_PULLED;
        else if (strcmp(text, "none") == 0)
                *out = SHOT_NONE;
        else
                return usage_error(err, err_size, "--shot: '%s' is not one of pulled, none", text);
        return 0;
}

const char *shot_mode_refusal(const struct scenario *s, enum shot_mode mode)
{
        if (mode == SHOT_NONE && !s->shot_is_the_critical_section)
                return "--shot none leaves a lock's critical section empty, and only the lock "
                       "scenarios' critical section is the shot";
        return NULL;
}

/* getopt_long with the lab's messages instead of getopt's. Returns the option, or -1 at the end;
 * on an unknown option or a missing value fills err and returns '?'. */
static int next_option(int argc, char **argv, const struct option *longs, char *err, size_t err_size)
{
        /* "+": stop at the first non-option, parse_command takes positional words itself;
         * ":": a missing value returns ':' rather than '?', so the two get their own messages. */
        int c = getopt_long(argc, argv, "+:h", longs, NULL);

        if (c == ':') {
                usage_error(err, err_size, "%s needs a value", argv[optind - 1]);
                return '?';
        }
        if (c == '?') {
                usage_error(err, err_size, "unknown option '%s' (see --help)", argv[optind - 1]);
                return '?';
        }
        return c;
}

int parse_command(int argc, char **argv, const struct command_syntax *syntax, void *out,
                         char *err, size_t err_size)
{
        int rc;

        for (int i = 1; i < argc; i++)
                if (strlen(argv[i]) > OPTIONS_MAX_ARGUMENT)
                        return usage_error(err, err_size, "an argument of %zu characters ('%.24s...'): "
                                           "at most %u", strlen(argv[i]), argv[i], OPTIONS_MAX_ARGUMENT);
        optind = 0; /* 0, not 1: makes glibc reinitialize its state */
        opterr = 0; /* messages are ours */
        while (optind < argc || optind == 0) {
                int c = next_option(argc, argv, syntax->longs, err, err_size);
                if (c == -1) {
                        if (optind >= argc)
                                break;
                        if (!syntax->on_word)
                                return usage_error(err, err_size, "%s takes no arguments, got '%s'",
                                                   syntax->command, argv[optind]);
                        rc = syntax->on_word(argv[optind++], out, err, err_size);
                } else if (c == 'h') {
                        return 1;
                } else if (c == '?') {
                        return -EINVAL;
                } else {
                        rc = syntax->on_option(c, optarg, out, err, err_size);
                }
                if (rc != 0)
                        return rc;
        }
        return 0;
}
