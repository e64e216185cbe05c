/* After a run: each barista's own figures merged into the run's, and the invariants checked. */
#include "results.h"

#include "kit/die.h"
#include "helper.h"
#include "measure/stats.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void summarize_latency(const struct latency_histogram *h, struct latency_summary *out)
{
        out->sampled = h->count > 0;
        out->p50_ns = clock_cycles_to_ns(histogram_quantile(h, 0.50));
        out->p99_ns = clock_cycles_to_ns(histogram_quantile(h, 0.99));
        out->max_ns = clock_cycles_to_ns(h->max);
}

/* Each barista's share for the fairness index. In a timed run every barista works the same
 * time, so the share is the drinks served. In a counted run every barista serves exactly its
 * quota, so counts would always say 1.0: the share is then the barista's rate, drinks per
 * second of its own shift, which is what a favoured barista gets more of. */
static double barista_share(const struct barista *b, const struct run_config *config)
{
        if (config->seconds > 0)
                return (double)b->drinks_served;
        uint64_t worked_ns = b->end_ns > b->start_ns ? b->end_ns - b->start_ns : 1;
        return (double)b->drinks_served * 1e9 / (double)worked_ns;
}

static void check_invariants(const struct crew *crew, const struct run_config *config,
                             struct run_result *r)
{
        char *why = r->broken_invariant;
        size_t size = sizeof(r->broken_invariant);

        r->invariants_held = false;
        for (uint32_t i = 0; i < config->baristas; i++) {
                const struct barista *b = &crew->staff[i];
                if (r->scenario->helper_serves_orders && helper_out_of_order(crew, i)) {
                        snprintf(why, size, "barista %u's orders were served out of order %" PRIu64
                                 " times", b->id, helper_out_of_order(crew, i));
                        return;
                }
                if (b->drinks_served != b->orders_taken) {
                        snprintf(why, size, "barista %u took %" PRIu64 " orders but served %" PRIu64
                                 " drinks", b->id, b->orders_taken, b->drinks_served);
                        return;
                }
        }
        if (config->orders && r->orders != config->orders && r->ended == RUN_COMPLETED) {
                snprintf(why, size, "%" PRIu64 " orders were placed but %" PRIu64 " taken",
                         config->orders, r->orders);
                return;
        }
        if (r->torn_reads != 0) {
                snprintf(why, size, "%" PRIu64 " menu reads were torn: a price from another version",
                         r->torn_reads);
                return;
        }
        /* Menus do not use the machine; with --shot none nobody did. */
        if (r->scenario->without_machine || config->shot_mode == SHOT_NONE) {
                r->invariants_held = true;
                why[0] = '\0';
                return;
        }
        if (r->lost_updates != 0) {
                snprintf(why, size, "%" PRId64 " of %" PRIu64 " shots were lost: the machine counted %"
                         PRIu64, r->lost_updates, r->drinks, r->shots);
                return;
        }
        if (r->collisions != 0) {
                snprintf(why, size, "%" PRIu64 " shots overlapped another barista's shot",
                         r->collisions);
                return;
        }
        r->invariants_held = true;
        why[0] = '\0';
}

/* What the helper did: its shots and collisions count with the machine's; the menu manager's
 * samples are update latencies, the operator's are holds at the machine. Its CPU counts in
 * cores_used (added to r->cores_used, still in ns here). */
static void merge_helper(const struct scenario *s, const struct barista *helper,
                         struct latency_histogram *hold, struct run_result *r)
{
        r->collisions += helper->collisions;
        r->cores_used += (double)helper->cpu_ns;
        if (s->without_machine) {
                r->menu_updates = helper->drinks_served;
                summarize_latency(helper->hold_cycles, &r->update);
        } else {
                histogram_merge(hold, helper->hold_cycles);
        }
}

void results_merge(const struct scenario *s, const struct run_config *config,
                   const struct crew *crew, enum run_ending ended, struct run_result *r)
{
        struct latency_histogram *wait = calloc(1, sizeof(*wait));
        struct latency_histogram *hold = calloc(1, sizeof(*hold));
        double *shares = calloc(config->baristas, sizeof(*shares));
        uint64_t first_start = UINT64_MAX, last_end = 0, contended = 0;

        if (!wait || !hold || !shares)
                lab_die("out of memory merging results");
        memset(r, 0, sizeof(*r));
        r->scenario = s;
        r->ended = ended;
        r->measured = true;
        r->update.sampled = false;
        r->config = *config;
        if (s->helper)
                merge_helper(s, &crew->staff[config->baristas], hold, r);
        /* The operator serves the drinks: the run lasts until the last of them, which comes after
         * the last barista has placed its order. */
        if (s->helper_serves_orders)
                last_end = crew->staff[config->baristas].end_ns;
        for (uint32_t i = 0; i < config->baristas; i++) {
                struct barista *b = &crew->staff[i];
                if (s->helper_serves_orders)
                        b->drinks_served = helper_served(crew, i);
                r->orders += b->orders_taken;
                r->torn_reads += b->torn_reads;
                r->drinks += b->drinks_served;
                r->collisions += b->collisions;
                r->ctx_voluntary += b->ctx_voluntary;
                r->ctx_involuntary += b->ctx_involuntary;
                r->cores_used += (double)b->cpu_ns;
                contended += b->contended;
                histogram_merge(wait, b->wait_cycles);
                histogram_merge(hold, b->hold_cycles);
                shares[i] = barista_share(b, config);
                if (b->start_ns < first_start)
                        first_start = b->start_ns;
                if (b->end_ns > last_end)
                        last_end = b->end_ns;
        }
        r->shots = espresso_machine.shots;
        r->lost_updates = s->without_machine ? 0 : (int64_t)(r->drinks - r->shots);
        r->queue_capacity = scenario_notes.queue_capacity;
        r->sequential_seconds = (double)r->drinks * (double)scenario_notes.drink_ns / 1e9;
        r->seconds = (double)(last_end - first_start) / 1e9;
        r->cores_used = r->seconds > 0 ? r->cores_used / 1e9 / r->seconds : 0;
        r->speedup = r->seconds > 0 ? r->sequential_seconds / r->seconds : 0;
        r->drinks_per_sec = r->seconds > 0 ? (double)r->drinks / r->seconds : 0;
        r->ns_per_drink = r->drinks ? r->seconds * 1e9 / (double)r->drinks : 0;
        r->reads_per_sec = s->without_machine ? r->drinks_per_sec : NAN; /* a menu read per order */
        summarize_latency(wait, &r->wait);
        summarize_latency(hold, &r->hold);
        /* Fairness among one barista is no figure. */
        r->fairness = config->baristas > 1 ? jain_fairness(shares, config->baristas) : NAN;
        r->contended = s->tells_contention && r->drinks ? (double)contended / (double)r->drinks : NAN;
        r->ctx_switches_per_drink =
                r->drinks ? (double)(r->ctx_voluntary + r->ctx_involuntary) / (double)r->drinks : 0;
        check_invariants(crew, config, r);
        free(wait);
        free(hold);
        free(shares);
}
