/* What explore and replay accept (options.h). */
#include "options.h"

#include <getopt.h>
#include <string.h>

enum {
        OPT_EXPLORE_BARISTAS = 256, OPT_EXPLORE_ORDERS, OPT_STRATEGY, OPT_SEED, OPT_BUDGET,
        OPT_EXPLORE_SECONDS, OPT_DEPTH, OPT_FIND, OPT_NO_SHORTEN, OPT_EXPLORE_FORMAT,
        OPT_REPLAY_STEP, OPT_REPLAY_SVG, OPT_REPLAY_HTML, OPT_REPLAY_FORMAT,
};

static int one_subject(const char **slot, const char *word, const char *command, char *err,
                       size_t err_size)
{
        if (*slot)
                return usage_error(err, err_size, "%s takes one scenario or file ('%s' is a second)",
                                   command, word);
        *slot = word;
        return 0;
}

static int explore_option(int option, const char *value, void *out, char *err, size_t err_size)
{
        struct explore_command_options *o = out;
        uint64_t n;
        int rc = 0;

        switch (option) {
        case OPT_EXPLORE_BARISTAS:
                rc = parse_whole("--baristas", value, 1, EXPLORE_MAX_BARISTAS, &n, err, err_size);
                o->baristas = (uint32_t)n;
                return rc;
        case OPT_EXPLORE_ORDERS:
                return parse_whole("--orders", value, 1, 1000, &o->orders, err, err_size);
        case OPT_STRATEGY:
                if (strcmp(value, "random") == 0)
                        o->search.strategy = CHOOSE_RANDOM;
                else if (strcmp(value, "pct") == 0)
                        o->search.strategy = CHOOSE_PCT;
                else
                        return usage_error(err, err_size, "--strategy: '%s' is not random or pct", value);
                return 0;
        case OPT_SEED:
                return parse_whole("--seed", value, 0, UINT64_MAX, &o->search.seed, err, err_size);
        case OPT_BUDGET:
                return parse_whole("--budget", value, 1, 10000000, &o->search.budget, err, err_size);
        case OPT_EXPLORE_SECONDS:
                return parse_seconds("--seconds", value, &o->search.seconds, err, err_size);
        case OPT_DEPTH:
                rc = parse_whole("--depth", value, 1, 10, &n, err, err_size);
                o->search.depth = (uint32_t)n;
                return rc;
        case OPT_FIND:
                if (strcmp(value, "any") == 0) {
                        o->search.wanted = -1;
                        return 0;
                }
                o->search.wanted = finding_named(value);
                if (o->search.wanted < 0 || !finding_is_bug(o->search.wanted))
                        return usage_error(err, err_size, "--find: '%s' is not one of any, lost-shot, "
                                           "collision, torn-menu, orders, deadlock, misuse, "
                                           "freed-memory, handed-over, crash, broken", value);
                return 0;
        case OPT_NO_SHORTEN:
                o->search.shorten = false;
                return 0;
        default: /* OPT_EXPLORE_FORMAT */
                return parse_format(value, false, &o->format, err, err_size);
        }
}

static int explore_word(const char *word, void *out, char *err, size_t err_size)
{
        return one_subject(&((struct explore_command_options *)out)->subject, word, "explore", err,
                           err_size);
}

int parse_explore_options(int argc, char **argv, struct explore_command_options *out, char *err,
                          size_t err_size)
{
        static const struct option longs[] = {
                { "baristas", required_argument, NULL, OPT_EXPLORE_BARISTAS },
                { "orders", required_argument, NULL, OPT_EXPLORE_ORDERS },
                { "strategy", required_argument, NULL, OPT_STRATEGY },
                { "seed", required_argument, NULL, OPT_SEED },
                { "budget", required_argument, NULL, OPT_BUDGET },
                { "seconds", required_argument, NULL, OPT_EXPLORE_SECONDS },
                { "depth", required_argument, NULL, OPT_DEPTH },
                { "find", required_argument, NULL, OPT_FIND },
                { "no-shorten", no_argument, NULL, OPT_NO_SHORTEN },
                { "format", required_argument, NULL, OPT_EXPLORE_FORMAT },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        static const struct command_syntax syntax = { longs, explore_option, explore_word, "explore" };

        memset(out, 0, sizeof(*out));
        out->search = (struct explore_options){ .strategy = CHOOSE_RANDOM, .seed = 1,
                                                .depth = EXPLORE_DEFAULT_DEPTH,
                                                .budget = EXPLORE_DEFAULT_BUDGET, .wanted = -1,
                                                .shorten = true };
        out->format = FORMAT_TABLE;
        int rc = parse_command(argc, argv, &syntax, out, err, err_size);
        if (rc != 0)
                return rc;
        if (!out->subject)
                return usage_error(err, err_size, "explore needs a scenario or a scenario file "
                                   "(see 'espresso-lab list')");
        return 0;
}

static int replay_option(int option, const char *value, void *out, char *err, size_t err_size)
{
        struct replay_options *o = out;

        switch (option) {
        case OPT_REPLAY_STEP:
                o->step = true;
                return 0;
        case OPT_REPLAY_SVG:
                o->svg = value;
                return 0;
        case OPT_REPLAY_HTML:
                o->html = value;
                return 0;
        default: /* OPT_REPLAY_FORMAT */
                return parse_format(value, false, &o->format, err, err_size);
        }
}

static int replay_word(const char *word, void *out, char *err, size_t err_size)
{
        struct replay_options *o = out;

        if (!o->subject)
                return one_subject(&o->subject, word, "replay", err, err_size);
        if (o->schedule)
                return usage_error(err, err_size, "replay takes a scenario and a schedule ('%s' is "
                                   "a third)", word);
        o->schedule = word;
        return 0;
}

int parse_replay_options(int argc, char **argv, struct replay_options *out, char *err,
                         size_t err_size)
{
        static const struct option longs[] = {
                { "step", no_argument, NULL, OPT_REPLAY_STEP },
                { "svg", required_argument, NULL, OPT_REPLAY_SVG },
                { "html", required_argument, NULL, OPT_REPLAY_HTML },
                { "format", required_argument, NULL, OPT_REPLAY_FORMAT },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        static const struct command_syntax syntax = { longs, replay_option, replay_word, "replay" };

        memset(out, 0, sizeof(*out));
        out->format = FORMAT_TABLE;
        int rc = parse_command(argc, argv, &syntax, out, err, err_size);
        if (rc != 0)
                return rc;
        if (!out->subject || !out->schedule)
                return usage_error(err, err_size, "replay needs a scenario (or its file) and a "
                                   "schedule, as explore printed them");
        return 0;
}
