/* The one table of a run's fields (see run_fields.h). */
#include "run_fields.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>

static struct field_value none(void)
{
        return (struct field_value){ .kind = FIELD_NULL };
}

static struct field_value whole(long long n)
{
        return (struct field_value){ .kind = FIELD_WHOLE, .whole = n };
}

static struct field_value real(double x)
{
        return isfinite(x) ? (struct field_value){ .kind = FIELD_REAL, .real = x } : none();
}

static struct field_value yes_no(bool yes)
{
        return (struct field_value){ .kind = FIELD_YES_NO, .yes = yes };
}

static struct field_value text(const char *s)
{
        return s ? (struct field_value){ .kind = FIELD_TEXT, .text = s } : none();
}

/* What applies to which run. A stalled run measured nothing but its drinks. */
static bool measured(const struct run_result *r) { return r->measured; }
static bool uses_machine(const struct run_result *r)
{
        return r->measured && !r->scenario->without_machine && r->config.shot_mode != SHOT_NONE;
}
static bool has_menu(const struct run_result *r) { return r->measured && r->scenario->without_machine; }
static bool is_shop(const struct run_result *r) { return r->sequential_seconds > 0; }

/* One getter per field: `applies` and the value, in a line each. */
#define GETTER(fn, applies, make)                                                  \
        static struct field_value fn(const struct run_result *r)                   \
        {                                                                          \
                return (applies) ? (make) : none();                                \
        }

GETTER(get_scenario, true, text(r->scenario->name))
GETTER(get_baristas, true, whole(r->config.baristas))
GETTER(get_orders, measured(r), whole((long long)r->orders))
GETTER(get_seconds_limit, r->config.seconds > 0, real(r->config.seconds))
GETTER(get_shot, true, text(r->config.shot_mode == SHOT_NONE ? "none" : "pulled"))
GETTER(get_shot_ns, r->config.shot_mode != SHOT_NONE, whole((long long)r->config.shot_ns))
GETTER(get_prep_ns, true, whole((long long)r->config.prep_ns))
GETTER(get_slow_motion, true, yes_no(r->config.slow_motion))
GETTER(get_work, is_shop(r), text(r->config.cpu_work ? "cpu" : "waiting"))
GETTER(get_ended, true, text(run_ending_name(r->ended)))
GETTER(get_stall_limit, true, real(r->stall_limit_seconds))
GETTER(get_drinks, true, whole((long long)r->drinks))
GETTER(get_shots, uses_machine(r), whole((long long)r->shots))
GETTER(get_lost_updates, uses_machine(r), whole(r->lost_updates))
GETTER(get_collisions, uses_machine(r), whole((long long)r->collisions))
GETTER(get_seconds, measured(r), real(r->seconds))
GETTER(get_drinks_per_sec, measured(r), real(r->drinks_per_sec))
GETTER(get_ns_per_drink, measured(r), real(r->ns_per_drink))
GETTER(get_wait_p50, r->wait.sampled, real(r->wait.p50_ns))
GETTER(get_wait_p99, r->wait.sampled, real(r->wait.p99_ns))
GETTER(get_wait_max, r->wait.sampled, real(r->wait.max_ns))
GETTER(get_hold_p50, r->hold.sampled, real(r->hold.p50_ns))
GETTER(get_hold_p99, r->hold.sampled, real(r->hold.p99_ns))
GETTER(get_hold_max, r->hold.sampled, real(r->hold.max_ns))
/* Fairness among one barista is no figure. */
GETTER(get_fairness, measured(r) && r->config.baristas > 1, real(r->fairness))
GETTER(get_contended, measured(r), real(r->contended))
GETTER(get_ctx_per_drink, measured(r), real(r->ctx_switches_per_drink))
GETTER(get_ctx_voluntary, measured(r), whole((long long)r->ctx_voluntary))
GETTER(get_ctx_involuntary, measured(r), whole((long long)r->ctx_involuntary))
GETTER(get_cores_used, measured(r), real(r->cores_used))
GETTER(get_sequential_seconds, is_shop(r), real(r->sequential_seconds))
GETTER(get_speedup, is_shop(r), real(r->speedup))
GETTER(get_queue_capacity, r->queue_capacity > 0, whole((long long)r->queue_capacity))
GETTER(get_torn_reads, has_menu(r), whole((long long)r->torn_reads))
GETTER(get_reads_per_sec, has_menu(r), real(r->reads_per_sec))
GETTER(get_menu_updates, has_menu(r), whole((long long)r->menu_updates))
GETTER(get_update_p50, has_menu(r) && r->update.sampled, real(r->update.p50_ns))
GETTER(get_update_p99, has_menu(r) && r->update.sampled, real(r->update.p99_ns))
GETTER(get_update_max, has_menu(r) && r->update.sampled, real(r->update.max_ns))
GETTER(get_expect, true, text(verdict_name(r->scenario->expect)))
GETTER(get_machine_checked, r->measured && !r->scenario->without_machine,
       yes_no(r->config.shot_mode != SHOT_NONE))
GETTER(get_invariants_held, true, yes_no(r->invariants_held))
GETTER(get_broken_invariant, !r->invariants_held, text(r->broken_invariant))
GETTER(get_deadlocked, r->ended == RUN_STALLED, yes_no(r->deadlocked))

/* The stuck baristas of a stalled run: "barista 1: asleep ...; barista 2: ..." in the table and
 * CSV, objects in JSON. */
static struct field_value get_stuck(const struct run_result *r)
{
        static __thread char summary[1024];
        size_t used = 0;
        uint32_t described = r->stuck_count < RUN_MAX_STUCK ? r->stuck_count : RUN_MAX_STUCK;

        if (r->ended != RUN_STALLED)
                return none();
        summary[0] = '\0';
        for (uint32_t i = 0; i < described && used < sizeof(summary); i++) {
                const struct stuck_barista *s = &r->stuck[i];
                int n = s->holding || s->waiting_for
                        ? snprintf(summary + used, sizeof(summary) - used,
                                   "%sbarista %u holds %s, waits for %s", i ? "; " : "", s->barista,
                                   s->holding ? s->holding : "nothing",
                                   s->waiting_for ? s->waiting_for : "nothing")
                        : snprintf(summary + used, sizeof(summary) - used, "%sbarista %u: %s",
                                   i ? "; " : "", s->barista, s->state);
                if (n < 0)
                        break;
                used += (size_t)n;
        }
        return text(summary);
}

static json_t *json_stuck(const struct run_result *r)
{
        json_t *list = json_array();
        uint32_t described = r->stuck_count < RUN_MAX_STUCK ? r->stuck_count : RUN_MAX_STUCK;

        for (uint32_t i = 0; i < described; i++) {
                const struct stuck_barista *s = &r->stuck[i];
                json_array_append_new(list, json_pack("{s:I, s:I, s:o, s:o, s:s}",
                        "barista", (json_int_t)s->barista, "progress", (json_int_t)s->progress,
                        "holds", s->holding ? json_string(s->holding) : json_null(),
                        "waits_for", s->waiting_for ? json_string(s->waiting_for) : json_null(),
                        "state", s->state));
        }
        return list;
}

const struct run_field run_fields[] = {
        { "scenario", get_scenario, NULL, NULL, NULL },
        { "baristas", get_baristas, NULL, NULL, NULL },
        { "orders", get_orders, NULL, "orders taken", NULL },
        { "seconds_limit", get_seconds_limit, "%.3f", "a timed run: --seconds", NULL },
        { "shot", get_shot, NULL, "--shot: pulled at the machine, or none (the lock alone)", NULL },
        { "shot_ns", get_shot_ns, NULL, "busy work per shot, at the machine", NULL },
        { "prep_ns", get_prep_ns, NULL, "busy work per order, away from the machine", NULL },
        { "slow_motion", get_slow_motion, NULL, NULL, NULL },
        { "work", get_work, NULL, "what a shop's drinks are: waiting or cpu", NULL },
        { "ended", get_ended, NULL, "completed, stalled, cut_short or interrupted", NULL },
        { "stall_limit_seconds", get_stall_limit, "%.1f", "the watchdog's limit for this run", NULL },
        { "drinks", get_drinks, NULL, "drinks served", NULL },
        { "shots", get_shots, NULL, "what the machine counted", NULL },
        { "lost_updates", get_lost_updates, NULL, "drinks the machine did not count", NULL },
        { "collisions", get_collisions, NULL, "shots begun while another barista was at the machine", NULL },
        { "seconds", get_seconds, "%.6f", "first barista's start to the last drink", NULL },
        { "drinks_per_sec", get_drinks_per_sec, "%.0f", NULL, NULL },
        { "ns_per_drink", get_ns_per_drink, "%.1f", NULL, NULL },
        { "wait_ns.p50", get_wait_p50, "%.0f", "wanting the machine to getting it, sampled", NULL },
        { "wait_ns.p99", get_wait_p99, "%.0f", NULL, NULL },
        { "wait_ns.max", get_wait_max, "%.0f", NULL, NULL },
        { "hold_ns.p50", get_hold_p50, "%.0f", "getting the machine to being done, sampled", NULL },
        { "hold_ns.p99", get_hold_p99, "%.0f", NULL, NULL },
        { "hold_ns.max", get_hold_max, "%.0f", NULL, NULL },
        { "fairness", get_fairness, "%.4f", "Jain's index over baristas, 1 = fair", NULL },
        { "contended", get_contended, "%.4f", "fraction of acquisitions that had to wait", NULL },
        { "ctx_switches_per_drink", get_ctx_per_drink, "%.4f", NULL, NULL },
        { "ctx_voluntary", get_ctx_voluntary, NULL, "context switches: blocked", NULL },
        { "ctx_involuntary", get_ctx_involuntary, NULL, "context switches: preempted", NULL },
        { "cores_used", get_cores_used, "%.2f", "the staff's CPU time over seconds", NULL },
        { "sequential_seconds", get_sequential_seconds, "%.3f", "every drink one after another", NULL },
        { "speedup", get_speedup, "%.2f", "sequential_seconds over seconds", NULL },
        { "queue_capacity", get_queue_capacity, NULL, "orders the queue holds", NULL },
        { "torn_reads", get_torn_reads, NULL, "menu reads that mixed two versions", NULL },
        { "reads_per_sec", get_reads_per_sec, "%.0f", NULL, NULL },
        { "menu_updates", get_menu_updates, NULL, "changes the manager made", NULL },
        { "update_ns.p50", get_update_p50, "%.0f", "the manager's time for one change", NULL },
        { "update_ns.p99", get_update_p99, "%.0f", NULL, NULL },
        { "update_ns.max", get_update_max, "%.0f", NULL, NULL },
        { "expect", get_expect, NULL, "what ThreadSanitizer should find", NULL },
        { "machine_checked", get_machine_checked, NULL, "whether the machine was checked: not with --shot none", NULL },
        { "invariants_held", get_invariants_held, NULL, NULL, NULL },
        { "broken_invariant", get_broken_invariant, NULL, NULL, NULL },
        { "deadlocked", get_deadlocked, NULL, "each stuck barista waits for what another holds", NULL },
        { "stuck", get_stuck, NULL, NULL, json_stuck },
};

const size_t run_field_count = sizeof(run_fields) / sizeof(run_fields[0]);

void field_value_text(const struct run_field *f, struct field_value v, char *out, size_t size)
{
        switch (v.kind) {
        case FIELD_NULL:
                snprintf(out, size, "%s", "");
                break;
        case FIELD_WHOLE:
                snprintf(out, size, "%lld", v.whole);
                break;
        case FIELD_REAL:
                snprintf(out, size, f->format ? f->format : "%g", v.real);
                break;
        case FIELD_YES_NO:
                snprintf(out, size, "%s", v.yes ? "yes" : "no");
                break;
        case FIELD_TEXT:
                snprintf(out, size, "%s", v.text);
                break;
        }
}
