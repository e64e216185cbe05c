/* What check and exercise accept (options.h). */
#include "options.h"

#include <getopt.h>
#include <string.h>

enum { OPT_CHECK_FORMAT = 256, OPT_EXERCISE };

static int check_option(int option, const char *value, void *out, char *err, size_t err_size)
{
        struct check_options *o = out;

        if (option == OPT_CHECK_FORMAT)
                return parse_format(value, true, &o->format, err, err_size);
        o->exercise = value;
        return 0;
}

static int check_word(const char *word, void *out, char *err, size_t err_size)
{
        struct check_options *o = out;

        if (o->file_count == OPTIONS_MAX_CHECK_FILES)
                return usage_error(err, err_size, "at most %u files at once", OPTIONS_MAX_CHECK_FILES);
        o->files[o->file_count++] = word;
        return 0;
}

int parse_check_options(int argc, char **argv, struct check_options *out, char *err, size_t err_size)
{
        static const struct option longs[] = {
                { "exercise", required_argument, NULL, OPT_EXERCISE },
                { "format", required_argument, NULL, OPT_CHECK_FORMAT },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        static const struct command_syntax syntax = { longs, check_option, check_word, "check" };

        memset(out, 0, sizeof(*out));
        out->format = FORMAT_TABLE;
        int rc = parse_command(argc, argv, &syntax, out, err, err_size);
        if (rc == 0 && out->file_count == 0)
                return usage_error(err, err_size, "check needs at least one scenario file (check FILE.c)");
        return rc;
}
