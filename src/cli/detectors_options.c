/* What detectors accepts (options.h). */
#include "options.h"

#include <getopt.h>
#include <string.h>

enum { OPT_DETECTORS_FORMAT = 256, OPT_PROGRAM, OPT_EXPECT, OPT_TOLD_ONLY, OPT_DETECTORS, OPT_SVG };

/* The detectors' names, in enum detector's order (detectors/detectors.h). */
static const char *const detector_names[OPTIONS_DETECTORS] = { "tsan-clang", "tsan-gcc", "helgrind", "drd" };

static int add_subject(struct detectors_options *o, const char *word, bool as_program, char *err,
                       size_t err_size)
{
        if (o->subject_count == OPTIONS_MAX_DETECTOR_SUBJECTS)
                return usage_error(err, err_size, "at most %u subjects at once", OPTIONS_MAX_DETECTOR_SUBJECTS);
        o->as_program[o->subject_count] = as_program;
        o->subjects[o->subject_count++] = word;
        return 0;
}

static int choose_detectors(const char *list, struct detectors_options *o, char *err, size_t err_size)
{
        int rc = check_list("--detectors", list, 16, err, err_size);
        if (rc != 0)
                return rc;
        while (*list) {
                size_t len = strcspn(list, ",");
                size_t d = 0;
                while (d < OPTIONS_DETECTORS &&
                       !(strlen(detector_names[d]) == len && strncmp(detector_names[d], list, len) == 0))
                        d++;
                if (d == OPTIONS_DETECTORS)
                        return usage_error(err, err_size, "--detectors: unknown detector '%.*s' "
                                           "(tsan-clang, tsan-gcc, helgrind, drd)", (int)len, list);
                o->detector_chosen[d] = true;
                list += len + (list[len] == ',');
        }
        return 0;
}

static int detectors_option(int option, const char *value, void *out, char *err, size_t err_size)
{
        struct detectors_options *o = out;

        switch (option) {
        case OPT_DETECTORS_FORMAT:
                return parse_format(value, true, &o->format, err, err_size);
        case OPT_PROGRAM:
                return add_subject(o, value, true, err, err_size);
        case OPT_TOLD_ONLY:
                o->told_only = true;
                return 0;
        case OPT_DETECTORS:
                return choose_detectors(value, o, err, err_size);
        case OPT_SVG:
                o->svg = value;
                return 0;
        default: /* OPT_EXPECT */
                for (int v = VERDICT_CLEAN; v <= VERDICT_DEADLOCK; v++)
                        if (strcmp(value, verdict_name(v)) == 0) {
                                o->expect = v;
                                return 0;
                        }
                return usage_error(err, err_size, "--expect: '%s' is not race, clean or deadlock", value);
        }
}

static int detectors_word(const char *word, void *out, char *err, size_t err_size)
{
        return add_subject(out, word, false, err, err_size);
}

int parse_detectors_options(int argc, char **argv, struct detectors_options *out, char *err,
                            size_t err_size)
{
        static const struct option longs[] = {
                { "program", required_argument, NULL, OPT_PROGRAM },
                { "expect", required_argument, NULL, OPT_EXPECT },
                { "told-only", no_argument, NULL, OPT_TOLD_ONLY },
                { "detectors", required_argument, NULL, OPT_DETECTORS },
                { "format", required_argument, NULL, OPT_DETECTORS_FORMAT },
                { "svg", required_argument, NULL, OPT_SVG },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        static const struct command_syntax syntax = { longs, detectors_option, detectors_word, "detectors" };

        memset(out, 0, sizeof(*out));
        out->expect = -1;
        out->format = FORMAT_TABLE;
        int rc = parse_command(argc, argv, &syntax, out, err, err_size);
        if (rc != 0)
                return rc;
        bool any = false;
        for (size_t d = 0; d < OPTIONS_DETECTORS; d++)
                any |= out->detector_chosen[d];
        for (size_t d = 0; d < OPTIONS_DETECTORS && !any; d++)
                out->detector_chosen[d] = true;
        return 0;
}
