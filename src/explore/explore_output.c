/* What explore and replay print: for people, and as JSON (schema "espresso-lab explore 1"). */
#include "explore_output.h"

#include "report/text.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

static const char *strategy_name(enum chooser_kind k)
{
        return k == CHOOSE_PCT ? "pct" : "random";
}

/* Whether an exploration's finding is a bug the scenario claims not to have. */
static const char *verdict_of(const struct scenario *s, bool found)
{
        if (!found)
                return "none found within the budget";
        return scenario_claims_correct(s) ? "a bug in a scenario that claims to be correct"
                                          : "the bug the scenario teaches";
}

#define WIDTH 80 /* a projector's */

void explore_print(FILE *out, const struct explore_run *run)
{
        const struct explore_report *r = run->report;
        const struct explore_options *o = run->options;
        const struct controlled_config *c = run->config;
        char text[1024];

        fprintf(out, "explore %s: %u baristas, %" PRIu64 " orders, %s", c->scenario->name,
                c->baristas, c->orders, strategy_name(o->strategy));
        if (o->strategy == CHOOSE_PCT)
                fprintf(out, " (depth %u)", o->depth);
        fprintf(out, ", seed %" PRIu64 ", at most %" PRIu64 " schedules\n", o->seed, o->budget);
        fprintf(out, "  a run takes about %" PRIu64 " steps (the default schedule's)\n",
                r->probe_steps);
        if (o->strategy == CHOOSE_PCT) {
                snprintf(text, sizeof(text), "pct's bound: a bug of depth %u is found by each "
                         "schedule with probability at least 1/(n*k^(d-1)) = %.3g", o->depth,
                         r->pct_bound);
                text_paragraph(out, text, 2, WIDTH);
        }
        if (r->unschedulable) {
                snprintf(text, sizeof(text), "schedule %" PRIu64 " could not be stepped: %s",
                         r->schedules, r->first_not_judged.what);
                text_paragraph(out, text, 2, WIDTH);
                text_paragraph(out, "Nothing was explored: the scheduler sees a barista wait only "
                               "at its points (the kit's actions, pthread and C11 atomic calls, "
                               "ck's locks, liburcu through rcu.h). A loop on a plain variable, "
                               "or a wait inside a library, is out of its sight.", 0, WIDTH);
                return;
        }
        if (!r->found) {
                fprintf(out, "  %" PRIu64 " schedules, none broke an invariant%s\n", r->schedules,
                        r->interrupted ? " (interrupted)" : "");
                if (o->strategy == CHOOSE_PCT) {
                        snprintf(text, sizeof(text), "so %" PRIu64 " schedules miss a bug of depth "
                                 "%u with probability at most %.3g", r->schedules, o->depth,
                                 pow(1.0 - r->pct_bound, (double)r->schedules));
                        text_paragraph(out, text, 2, WIDTH);
                }
                if (r->not_judged) {
                        snprintf(text, sizeof(text), "%" PRIu64 " of them could not be judged: %s",
                                 r->not_judged, r->first_not_judged.what);
                        text_paragraph(out, text, 2, WIDTH);
                }
                text_paragraph(out, "A clean exploration is evidence within its budget, not a "
                               "proof: other schedules, more baristas or more orders may still "
                               "break it; and a race whose effect never shows is "
                               "ThreadSanitizer's to find (race-check).", 0, WIDTH);
                return;
        }
        fprintf(out, "  schedule %" PRIu64 " of %" PRIu64 " broke it: %s\n", r->found_at,
                r->schedules, finding_name(r->result.finding));
        snprintf(text, sizeof(text), "what broke: %s", run->what_broke);
        text_paragraph(out, text, 2, WIDTH);
        if (r->preemptions != r->preemptions_found || r->shorten_attempts)
                fprintf(out, "  shortened from %" PRIu64 " preemptions to %" PRIu64 " (%" PRIu64
                        " more runs)\n", r->preemptions_found, r->preemptions, r->shorten_attempts);
        if (r->schedule_too_long) {
                snprintf(text, sizeof(text), "the schedule (%" PRIu64 " steps, %" PRIu64
                         " preemptions) is too long to write as one argument (%d characters at "
                         "most): explore with fewer orders or baristas for a story to replay",
                         r->result.trace.count, r->preemptions, SCHEDULE_TEXT_MAX - 1);
                text_paragraph(out, text, 2, WIDTH);
                return;
        }
        fprintf(out, "  the schedule (%" PRIu64 " steps, %" PRIu64 " preemption%s): %s\n",
                r->result.trace.count, r->preemptions, r->preemptions == 1 ? "" : "s", r->schedule);
        fprintf(out, "  see it step by step:\n    espresso-lab replay %s %s --step\n", run->subject,
                r->schedule);
        snprintf(text, sizeof(text), "This is %s. The schedule breaks it every time it is "
                 "replayed, on any machine, even on one CPU; it says nothing of how often it "
                 "happens at full speed (run, timeline).", verdict_of(c->scenario, true));
        text_paragraph(out, text, 0, WIDTH);
}

int explore_print_json(FILE *out, const struct explore_run *run)
{
        const struct explore_report *r = run->report;
        const struct explore_options *o = run->options;
        const struct controlled_config *c = run->config;
        json_t *findings = json_array();

        for (int f = 0; r->found && f < FINDING_COUNT; f++)
                if (r->result.findings >> f & 1)
                        json_array_append_new(findings, json_string(finding_name(f)));
        json_t *root = json_pack(
                "{s:s, s:s, s:s, s:i, s:I, s:s, s:I, s:i, s:I, s:I, s:I, s:o?, s:b, s:b, s:b,"
                " s:I, s:I}",
                "schema", "espresso-lab explore 1", "scenario", c->scenario->name,
                "expect", verdict_name(c->scenario->expect), "baristas", (int)c->baristas,
                "orders", (json_int_t)c->orders, "strategy", strategy_name(o->strategy),
                "seed", (json_int_t)o->seed, "depth", (int)o->depth,
                "budget", (json_int_t)o->budget, "schedules", (json_int_t)r->schedules,
                "probe_steps", (json_int_t)r->probe_steps,
                "pct_bound", o->strategy == CHOOSE_PCT ? json_real(r->pct_bound) : NULL,
                "found", r->found, "interrupted", r->interrupted,
                "unschedulable", r->unschedulable,
                "not_judged", (json_int_t)r->not_judged,
                "shorten_attempts", (json_int_t)r->shorten_attempts);
        if (!root) {
                json_decref(findings);
                return -1;
        }
        if (r->found) {
                json_object_set_new(root, "found_at", json_integer((json_int_t)r->found_at));
                json_object_set_new(root, "finding", json_string(finding_name(r->result.finding)));
                json_object_set_new(root, "findings", findings);
                json_object_set_new(root, "what", json_string(run->what_broke));
                json_object_set_new(root, "schedule",
                                    r->schedule_too_long ? json_null() : json_string(r->schedule));
                json_object_set_new(root, "steps", json_integer((json_int_t)r->result.trace.count));
                json_object_set_new(root, "preemptions_found",
                                    json_integer((json_int_t)r->preemptions_found));
                json_object_set_new(root, "preemptions", json_integer((json_int_t)r->preemptions));
        } else {
                json_decref(findings);
                json_object_set_new(root, "finding", json_null());
                json_object_set_new(root, "schedule", json_null());
        }
        int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
        fputc('\n', out);
        json_decref(root);
        return rc;
}

void replay_print_header(FILE *out, const struct replay_run *run)
{
        const struct controlled_result *r = run->result;

        uint64_t preemptions = schedule_preemptions(&r->trace);

        fprintf(out, "replay %s: %u baristas, %" PRIu64 " orders, one barista at a time, %" PRIu64
                " steps, %" PRIu64 " preemption%s\n", run->config->scenario->name,
                run->config->baristas, run->config->orders, r->trace.count, preemptions,
                preemptions == 1 ? "" : "s");
}

void replay_print_ending(FILE *out, const struct replay_run *run)
{
        const struct controlled_result *r = run->result;

        if (finding_is_bug(r->finding))
                fprintf(out, "broken: %s, in every replay of this schedule (a controlled run: "
                        "one barista at a time, no timing)\n", finding_name(r->finding));
        else
                fprintf(out, "%s (a controlled run: one barista at a time, no timing)\n",
                        r->finding == FINDING_NONE ? "clean" : finding_name(r->finding));
}

int replay_print_json(FILE *out, const struct replay_run *run, const struct story *story)
{
        const struct controlled_result *r = run->result;
        json_t *root = json_pack("{s:s, s:s, s:s, s:i, s:I, s:I, s:I, s:s, s:s, s:s, s:o}",
                                 "schema", "espresso-lab replay 1",
                                 "scenario", run->config->scenario->name,
                                 "schedule", run->schedule, "baristas", (int)run->config->baristas,
                                 "orders", (json_int_t)run->config->orders,
                                 "step_count", (json_int_t)r->trace.count,
                                 "preemptions", (json_int_t)schedule_preemptions(&r->trace),
                                 "finding", finding_name(r->finding), "what", r->what,
                                 "ending", story->ending, "steps", (json_t *)story_json(story));
        if (!root)
                return -1;
        int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
        fputc('\n', out);
        json_decref(root);
        return rc;
}
