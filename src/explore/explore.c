/*
 * The search (explore.h): a probe run with the default schedule, which also tells PCT how many
 * steps a run takes; then schedules from the strategy, each seed derived from --seed and the
 * schedule's number, until one breaks an invariant or the budget is spent; then shortening.
 */
#include "explore.h"

#include "harness/interrupt.h"
#include "measure/clock.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The seed of schedule i: distinct, and the same on every machine. */
static uint64_t schedule_seed(uint64_t seed, uint64_t i)
{
        uint64_t z = seed + (i + 1) * 0x9e3779b97f4a7c15ull;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
}

static bool wanted(const struct explore_options *o, const struct controlled_result *r)
{
        if (o->wanted < 0)
                return finding_is_bug(r->finding);
        return (r->findings >> o->wanted & 1) != 0;
}

/* Whether the run broke the same way: the finding searched for, or the one first found. */
static bool still_breaks(const struct explore_options *o, enum finding found,
                         const struct controlled_result *r)
{
        return o->wanted >= 0 ? wanted(o, r) : (r->findings >> found & 1) != 0;
}

static double elapsed_seconds(uint64_t since_ns)
{
        return (double)(clock_now_ns() - since_ns) / 1e9;
}

/* Keeps run r as the report's schedule if it breaks the same way with fewer preemptions. */
static bool keep_if_shorter(const struct explore_options *o, enum finding found,
                            struct explore_report *report, struct controlled_result *r)
{
        if (!still_breaks(o, found, r) ||
            schedule_preemptions(&r->trace) >= schedule_preemptions(&report->result.trace)) {
                controlled_result_free(r);
                return false;
        }
        controlled_result_free(&report->result);
        report->result = *r;
        return true;
}

/* A schedule tried while shortening: its switches, and the run they made. */
struct candidate {
        struct schedule_switch *switches;
        size_t count;
        struct controlled_result run;
};

static void candidates_free(struct candidate *c, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(c[i].switches);
                controlled_result_free(&c[i].run);
        }
        free(c);
}

/*
 * The smallest story first: schedules that depart from the default run once, at any step, for
 * any other barista that could go there, in step order; then twice (each once-departing run
 * departing again, later); the first that breaks the same way with fewer preemptions is kept.
 * This is iterative context bounding (as in CHESS), here only as deep as two departures and
 * within the shortening's attempts: a run takes a few dozen steps, so the first level is a few
 * dozen runs per barista.
 */
static int shorten_bounded(const struct controlled_config *config, const struct explore_options *o,
                           const struct controlled_result *probe, struct explore_report *report)
{
        enum finding found = report->result.finding;
        struct candidate root = { NULL, 0, *probe };
        struct candidate *level = &root, *next = NULL;
        size_t level_count = 1, next_count = 0, next_cap = 0;
        int err = 0;

        for (uint32_t depth = 1; depth <= 2 && err == 0; depth++) {
                for (size_t c = 0; c < level_count && err == 0; c++) {
                        const struct candidate *from = &level[c];
                        uint64_t after = from->count ? from->switches[from->count - 1].step + 1 : 0;
                        for (uint64_t j = after; j < from->run.trace.count && err == 0; j++) {
                                const struct schedule_step *s = &from->run.trace.steps[j];
                                uint32_t usual = schedule_default_choice(s);
                                for (uint32_t b = 1; b <= SCHEDULE_MAX_BARISTAS; b++) {
                                        if (!(s->runnable >> (b - 1) & 1) || b == usual)
                                                continue;
                                        if (report->shorten_attempts >= EXPLORE_SHORTEN_ATTEMPTS ||
                                            interrupt_signal())
                                                goto out;
                                        if (next_count == next_cap) {
                                                next_cap = next_cap ? 2 * next_cap : 64;
                                                struct candidate *g = realloc(next, next_cap * sizeof(*g));
                                                if (!g) {
                                                        err = -ENOMEM;
                                                        goto out;
                                                }
                                                next = g;
                                        }
                                        struct candidate *n = &next[next_count];
                                        n->count = from->count + 1;
                                        n->switches = malloc(n->count * sizeof(*n->switches));
                                        if (!n->switches) {
                                                err = -ENOMEM;
                                                goto out;
                                        }
                                        memcpy(n->switches, from->switches, from->count * sizeof(*n->switches));
                                        n->switches[from->count] = (struct schedule_switch){ j, b };
                                        struct chooser ch = { .kind = CHOOSE_SWITCHES,
                                                              .switches = n->switches,
                                                              .switch_count = n->count };
                                        err = controlled_run(config, &ch, &n->run);
                                        report->shorten_attempts++;
                                        if (err) {
                                                free(n->switches);
                                                goto out;
                                        }
                                        next_count++;
                                        if (still_breaks(o, found, &n->run) &&
                                            schedule_preemptions(&n->run.trace) <
                                                    schedule_preemptions(&report->result.trace)) {
                                                controlled_result_free(&report->result);
                                                report->result = n->run;
                                                n->run.trace.steps = NULL;
                                                goto out;
                                        }
                                }
                        }
                }
                if (level != &root)
                        candidates_free(level, level_count);
                level = next;
                level_count = next_count;
                next = NULL;
                next_count = next_cap = 0;
        }
out:
        if (level != &root)
                candidates_free(level, level_count);
        candidates_free(next, next_count);
        return err;
}

/*
 * Then, or if one preemption is not enough: drop one switch at a time, from the last, and keep the schedule if the run still
 * breaks the same way; each kept run's own switches replace the old ones (dropping one switch
 * may make others unnecessary, or move them). It ends when no single switch can go, or after
 * EXPLORE_SHORTEN_ATTEMPTS runs. A switch that cannot be made where it stood is skipped by the
 * run (CHOOSE_SWITCHES), which is what lets a schedule shrink around a dropped one.
 */
static int shorten(const struct controlled_config *config, const struct explore_options *o,
                   struct explore_report *report)
{
        enum finding found = report->result.finding;
        size_t count;
        struct schedule_switch *switches = schedule_switches_of(&report->result.trace, &count);
        bool progress = true;

        if (!switches && count)
                return -ENOMEM;
        while (progress && report->shorten_attempts < EXPLORE_SHORTEN_ATTEMPTS &&
               !interrupt_signal()) {
                progress = false;
                for (size_t drop = count; drop-- > 0 &&
                                          report->shorten_attempts < EXPLORE_SHORTEN_ATTEMPTS;) {
                        struct schedule_switch *fewer = malloc((count ? count : 1) * sizeof(*fewer));
                        if (!fewer) {
                                free(switches);
                                return -ENOMEM;
                        }
                        memcpy(fewer, switches, drop * sizeof(*fewer));
                        memcpy(fewer + drop, switches + drop + 1, (count - drop - 1) * sizeof(*fewer));
                        struct chooser c = { .kind = CHOOSE_SWITCHES, .switches = fewer,
                                             .switch_count = count - 1 };
                        struct controlled_result r;
                        int err = controlled_run(config, &c, &r);
                        free(fewer);
                        report->shorten_attempts++;
                        if (err) {
                                free(switches);
                                return err;
                        }
                        if (!keep_if_shorter(o, found, report, &r))
                                continue;
                        free(switches);
                        switches = schedule_switches_of(&report->result.trace, &count);
                        if (!switches && count)
                                return -ENOMEM;
                        progress = true;
                        break;
                }
        }
        free(switches);
        return 0;
}

int explore_fingerprint(const struct controlled_config *config, uint32_t *fingerprint, char *why,
                        size_t why_size)
{
        struct chooser c = { .kind = CHOOSE_SWITCHES };
        struct controlled_result r;
        int err = controlled_run(config, &c, &r);

        if (err) {
                snprintf(why, why_size, "no controlled run could be made: %s", strerror(-err));
                return err;
        }
        *fingerprint = schedule_fingerprint(&r.trace);
        controlled_result_free(&r);
        return 0;
}

/* A copy of r's steps in *copy, so that r can be handed on. */
static int copy_result(const struct controlled_result *r, struct controlled_result *copy)
{
        *copy = *r;
        copy->trace.steps = malloc((r->trace.count ? r->trace.count : 1) * sizeof(*r->trace.steps));
        if (!copy->trace.steps)
                return -ENOMEM;
        memcpy(copy->trace.steps, r->trace.steps, r->trace.count * sizeof(*r->trace.steps));
        return 0;
}

/* Keeps the first run that could not be judged, to say why (the step limit, an unseen wait); a
 * run that went on without a point replaces it, since it ends the search and is what to say. */
static void note_not_judged(struct explore_report *report, struct controlled_result *r)
{
        bool unseen = r->finding == FINDING_UNSCHEDULABLE;

        if (report->not_judged++ == 0 || unseen) {
                controlled_result_free(&report->first_not_judged);
                report->first_not_judged = *r;
                r->trace.steps = NULL;
        }
}

int explore(const struct controlled_config *config, const struct explore_options *o,
            struct explore_report *report)
{
        uint64_t started = clock_now_ns();
        struct chooser probe = { .kind = CHOOSE_SWITCHES };
        struct controlled_result r;
        int err;

        memset(report, 0, sizeof(*report));
        if ((err = controlled_run(config, &probe, &r)) != 0)
                return err;
        report->schedules = 1;
        report->fingerprint = schedule_fingerprint(&r.trace);
        report->probe_steps = r.trace.count;
        uint32_t staff = r.trace.baristas ? r.trace.baristas : config->baristas;
        double k = (double)(report->probe_steps ? report->probe_steps : 1);
        report->pct_bound = 1.0 / ((double)staff * pow(k, (double)(o->depth ? o->depth - 1 : 0)));
        bool found = wanted(o, &r);
        struct controlled_result probe_run = r;
        if (found) {
                report->found_at = 1;
                if ((err = copy_result(&r, &probe_run)) != 0)
                        return err;
        } else if (r.finding == FINDING_STEP_LIMIT || r.finding == FINDING_UNSCHEDULABLE) {
                if ((err = copy_result(&r, &probe_run)) != 0)
                        return err;
                note_not_judged(report, &r);
        }
        /* A barista that went on without a point waits where the scheduler cannot see: every
         * schedule would end the same way, at the watchdog's pace. Searching further is useless. */
        report->unschedulable = probe_run.finding == FINDING_UNSCHEDULABLE;
        for (uint64_t i = 1; !found && !report->unschedulable && i < o->budget &&
                             !interrupt_signal(); i++) {
                if (o->seconds > 0 && elapsed_seconds(started) >= o->seconds)
                        break;
                struct chooser c = { .kind = o->strategy, .seed = schedule_seed(o->seed, i),
                                     .depth = o->depth, .steps = report->probe_steps };
                if ((err = controlled_run(config, &c, &r)) != 0) {
                        if (err == -EINTR)
                                break;
                        return err;
                }
                report->schedules++;
                if (wanted(o, &r)) {
                        found = true;
                        report->found_at = i + 1;
                        report->seed_found = c.seed;
                        break;
                }
                report->unschedulable = r.finding == FINDING_UNSCHEDULABLE;
                if (r.finding == FINDING_STEP_LIMIT || r.finding == FINDING_UNSCHEDULABLE)
                        note_not_judged(report, &r);
                controlled_result_free(&r);
        }
        report->interrupted = interrupt_signal() != 0;
        report->found = found;
        if (found) {
                report->result = r;
                report->preemptions_found = schedule_preemptions(&r.trace);
                err = 0;
                if (o->shorten && report->preemptions_found > 1)
                        err = shorten_bounded(config, o, &probe_run, report);
                if (!err && o->shorten && schedule_preemptions(&report->result.trace) > 1)
                        err = shorten(config, o, report);
                if (err) {
                        controlled_result_free(&probe_run);
                        return err;
                }
                report->preemptions = schedule_preemptions(&report->result.trace);
                report->schedule_too_long =
                        !schedule_text_write(config->scenario->name, config->baristas,
                                             config->orders, report->fingerprint,
                                             &report->result.trace,
                                             schedule_needed_length(&report->result.trace),
                                             report->schedule, sizeof(report->schedule));
        }
        controlled_result_free(&probe_run);
        report->seconds = elapsed_seconds(started);
        return 0;
}

void explore_report_free(struct explore_report *report)
{
        if (report->found)
                controlled_result_free(&report->result);
        controlled_result_free(&report->first_not_judged);
}
