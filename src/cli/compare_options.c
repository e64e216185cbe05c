/* compare's command line: the grid's axes and what to do with the results. */
#include "harness/registry.h"
#include "compare/compare.h"
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_SCENARIOS = 512, OPT_FAMILY, OPT_BARISTAS, OPT_SHOT_NS, OPT_PREP_NS, OPT_REPEAT,
       OPT_SECONDS, OPT_FORMAT, OPT_SVG, OPT_HTML, OPT_BASELINE, OPT_PIN, OPT_FROM, OPT_SHOT };

/* "1,2,4,8" or "1..16" (every whole number in between), each within [min, max]. */
static int parse_axis(const char *option, const char *text, uint64_t min, uint64_t max,
                      uint64_t *values, size_t *count, char *err, size_t err_size)
{
        char buf[512], *save = NULL;
        const char *range = strstr(text, "..");
        int rc;

        *count = 0;
        if (strlen(text) >= sizeof(buf))
                return usage_error(err, err_size, "%s: '%.40s...' is too long", option, text);
        if (!range && (rc = check_list(option, text, 20, err, err_size)) != 0)
                return rc;
        if (range) {
                uint64_t low, high;
                snprintf(buf, sizeof(buf), "%.*s", (int)(range - text), text);
                if ((rc = parse_whole(option, buf, min, max, &low, err, err_size)) != 0 ||
                    (rc = parse_whole(option, range + 2, min, max, &high, err, err_size)) != 0)
                        return rc;
                if (high < low)
                        return usage_error(err, err_size, "%s: the range %s runs backwards", option, text);
                if (high - low >= COMPARE_MAX_AXIS)
                        return usage_error(err, err_size, "%s: %s has more than %d values", option,
                                           text, COMPARE_MAX_AXIS);
                for (uint64_t v = low; v <= high; v++)
                        values[(*count)++] = v;
                return 0;
        }
        snprintf(buf, sizeof(buf), "%s", text);
        for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
                if (*count == COMPARE_MAX_AXIS)
                        return usage_error(err, err_size, "%s: more than %d values", option,
                                           COMPARE_MAX_AXIS);
                if ((rc = parse_whole(option, item, min, max, &values[(*count)++], err, err_size)) != 0)
                        return rc;
        }
        if (*count == 0)
                return usage_error(err, err_size, "%s: no values in '%s'", option, text);
        return 0;
}

static int add_scenarios(struct compare_options *o, const char *list, char *err, size_t err_size)
{
        char buf[1024], *save = NULL;
        int rc;

        if (strlen(list) >= sizeof(buf))
                return usage_error(err, err_size, "--scenarios: '%.40s...' is too long", list);
        if ((rc = check_list("--scenarios", list, 64, err, err_size)) != 0)
                return rc;
        snprintf(buf, sizeof(buf), "%s", list);
        for (char *name = strtok_r(buf, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
                const struct scenario *s = scenario_find(name);
                if (!s)
                        return usage_error(err, err_size, "--scenarios: unknown scenario '%s'", name);
                if (o->scenario_count == COMPARE_MAX_SCENARIOS)
                        return usage_error(err, err_size, "--scenarios: more than %d",
                                           COMPARE_MAX_SCENARIOS);
                o->scenarios[o->scenario_count++] = s;
        }
        return 0;
}

static int add_family(struct compare_options *o, const char *name, char *err, size_t err_size)
{
        size_t before = o->scenario_count;
        int family = family_named(name);

        for (size_t i = 0; i < scenario_count() && o->scenario_count < COMPARE_MAX_SCENARIOS; i++)
                if ((int)scenario_at(i)->family == family)
                        o->scenarios[o->scenario_count++] = scenario_at(i);
        if (o->scenario_count == before)
                return usage_error(err, err_size, "--family: unknown family '%s' (see 'espresso-lab list')",
                                   name);
        return 0;
}

static int compare_option(int option, const char *value, void *out, char *err, size_t err_size)
{
        struct compare_options *o = out;
        uint64_t repeat;
        int rc;

        switch (option) {
        case OPT_SCENARIOS:
                return add_scenarios(o, value, err, err_size);
        case OPT_FAMILY:
                return add_family(o, value, err, err_size);
        case OPT_BARISTAS:
                return parse_axis("--baristas", value, 1, OPTIONS_MAX_BARISTAS, o->baristas,
                                  &o->baristas_count, err, err_size);
        case OPT_SHOT_NS:
                return parse_axis("--shot-ns", value, 0, OPTIONS_MAX_WORK_NS, o->shot_ns,
                                  &o->shot_ns_count, err, err_size);
        case OPT_PREP_NS:
                return parse_axis("--prep-ns", value, 0, OPTIONS_MAX_WORK_NS, o->prep_ns,
                                  &o->prep_ns_count, err, err_size);
        case OPT_REPEAT:
                if ((rc = parse_whole("--repeat", value, 1, COMPARE_MAX_REPEAT, &repeat, err, err_size)) == 0)
                        o->repeat = (uint32_t)repeat;
                return rc;
        case OPT_SECONDS:
                return parse_seconds("--seconds", value, &o->seconds, err, err_size);
        case OPT_FORMAT:
                return parse_format(value, true, &o->format, err, err_size);
        case OPT_SVG:
                o->svg_path = value;
                return 0;
        case OPT_HTML:
                o->html_path = value;
                return 0;
        case OPT_BASELINE:
                o->baseline_path = value;
                return 0;
        case OPT_FROM:
                o->from_path = value;
                return 0;
        case OPT_SHOT:
                return parse_shot_mode(value, &o->shot_mode, err, err_size);
        default: /* OPT_PIN */
                o->pin = true;
                return 0;
        }
}

/* Scenarios that deadlock by design hang their cell until the watchdog ends it, every time:
 * nothing to measure, and a stall to wait out per cell. Under --shot none, scenarios whose
 * critical section is not the shot cannot leave it empty. They are left out, said by the
 * command; deadlock-ordered, the deadlock's fix, stays. */
static int leave_out_what_cannot_run(struct compare_options *o, char *err, size_t err_size)
{
        size_t kept = 0;

        for (size_t i = 0; i < o->scenario_count; i++) {
                const struct scenario *s = o->scenarios[i];
                const char *why = s->expect == VERDICT_DEADLOCK
                        ? "it deadlocks on purpose: see 'espresso-lab run deadlock'"
                        : shot_mode_refusal(s, o->shot_mode);
                if (why) {
                        o->left_out[o->left_out_count].scenario = s;
                        o->left_out[o->left_out_count++].why = why;
                } else {
                        o->scenarios[kept++] = s;
                }
        }
        o->scenario_count = kept;
        if (kept == 0) {
                char why[1200];
                compare_left_out_why(o, why, sizeof(why));
                return usage_error(err, err_size, "compare: nothing to compare: it leaves out %s", why);
        }
        return 0;
}

void compare_left_out_why(const struct compare_options *o, char *out, size_t size)
{
        size_t used = 0;

        out[0] = '\0';
        for (size_t i = 0; i < o->left_out_count && used < size; i++) {
                /* One reason said once, after the last scenario it applies to. */
                bool last_with_it = i + 1 == o->left_out_count || o->left_out[i + 1].why != o->left_out[i].why;
                used += (size_t)snprintf(out + used, size - used, "%s%s%s%s%s", i ? ", " : "",
                                         o->left_out[i].scenario->name, last_with_it ? " (" : "",
                                         last_with_it ? o->left_out[i].why : "", last_with_it ? ")" : "");
        }
}

int parse_compare_options(int argc, char **argv, struct compare_options *out, char *err,
                          size_t err_size)
{
        static const struct option longs[] = {
                { "scenarios", required_argument, NULL, OPT_SCENARIOS },
                { "family", required_argument, NULL, OPT_FAMILY },
                { "baristas", required_argument, NULL, OPT_BARISTAS },
                { "shot-ns", required_argument, NULL, OPT_SHOT_NS },
                { "prep-ns", required_argument, NULL, OPT_PREP_NS },
                { "repeat", required_argument, NULL, OPT_REPEAT },
                { "seconds", required_argument, NULL, OPT_SECONDS },
                { "format", required_argument, NULL, OPT_FORMAT },
                { "svg", required_argument, NULL, OPT_SVG },
                { "html", required_argument, NULL, OPT_HTML },
                { "baseline", required_argument, NULL, OPT_BASELINE },
                { "pin", no_argument, NULL, OPT_PIN },
                { "from", required_argument, NULL, OPT_FROM },
                { "shot", required_argument, NULL, OPT_SHOT },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        static const struct command_syntax syntax = { longs, compare_option, NULL, "compare" };
        static const uint64_t default_baristas[] = { 1, 2, 4, 8 };
        int rc;

        memset(out, 0, sizeof(*out));
        out->repeat = COMPARE_DEFAULT_REPEAT;
        out->seconds = COMPARE_DEFAULT_SECONDS;
        if ((rc = parse_command(argc, argv, &syntax, out, err, err_size)) != 0)
                return rc;
        /* Files are checked now, not after minutes of running. */
        const char *inputs[] = { out->baseline_path, out->from_path };
        for (size_t i = 0; i < 2; i++)
                if (inputs[i] && access(inputs[i], R_OK) != 0)
                        return usage_error(err, err_size, "%s: cannot read %s: %s",
                                           i == 0 ? "--baseline" : "--from", inputs[i], strerror(errno));
        if (out->scenario_count == 0 && (rc = add_family(out, "lock", err, err_size)) != 0)
                return rc;
        if (!out->from_path && (rc = leave_out_what_cannot_run(out, err, err_size)) != 0)
                return rc;
        if (out->baristas_count == 0) {
                memcpy(out->baristas, default_baristas, sizeof(default_baristas));
                out->baristas_count = 4;
        }
        if (out->shot_ns_count == 0)
                out->shot_ns_count = 1; /* 0 ns */
        if (out->prep_ns_count == 0)
                out->prep_ns_count = 1;
        return 0;
}
