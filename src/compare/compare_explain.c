/* The sentences under compare's table: what the numbers show, and the mechanism behind it,
 * where the data bear it out. */
#include "harness/registry.h"
#include "compare.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

__attribute__((format(printf, 2, 3)))
static void note(struct compare_result *r, const char *fmt, ...)
{
        va_list ap;
        if (r->note_count == sizeof(r->notes) / sizeof(r->notes[0]))
                return;
        va_start(ap, fmt);
        vsnprintf(r->notes[r->note_count++], sizeof(r->notes[0]), fmt, ap);
        va_end(ap);
}

/* The cell of scenario `name` with the fewest (or most) baristas, at the first work setting. */
static const struct compare_cell *cell_at(const struct compare_result *r, const char *name, bool most)
{
        const struct compare_cell *best = NULL;
        for (size_t i = 0; i < r->cell_count; i++) {
                const struct compare_cell *c = &r->cells[i];
                if (c->ended != CELL_COMPLETED || strcmp(c->scenario->name, name) != 0 ||
                    c->shot_ns != r->options.shot_ns[0] || c->prep_ns != r->options.prep_ns[0])
                        continue;
                if (!best || (most ? c->baristas > best->baristas : c->baristas < best->baristas))
                        best = c;
        }
        return best;
}

/* The cell of scenario `name` at exactly `baristas`, at the first work setting; NULL if none. */
static const struct compare_cell *cell_with(const struct compare_result *r, const char *name,
                                            uint32_t baristas)
{
        for (size_t i = 0; i < r->cell_count; i++) {
                const struct compare_cell *c = &r->cells[i];
                if (c->ended == CELL_COMPLETED && strcmp(c->scenario->name, name) == 0 &&
                    c->baristas == baristas &&
                    c->shot_ns == r->options.shot_ns[0] && c->prep_ns == r->options.prep_ns[0])
                        return c;
        }
        return NULL;
}

/* Contended figures follow what a handover costs: say so when that changed under them. */
static void explain_round_trips(struct compare_result *r)
{
        double before = r->round_trip_ns[0], after = r->round_trip_ns[1];
        double now = compare_round_trip_ns(before, after);

        if (isfinite(before) && isfinite(after) && fmax(before, after) > 1.5 * fmin(before, after))
                note(r, "A cache line's round trip between the CPUs went from %.0f to %.0f ns "
                     "during the runs (the host moved them, or something else kept them busy): "
                     "every contended handover costs about one, so contended cells measured at "
                     "different times are not comparable.", before, after);
        double then = r->baseline_round_trip_ns;
        if (isfinite(now) && isfinite(then) && fmax(now, then) > 1.5 * fmin(now, then))
                note(r, "The baseline's CPUs passed a cache line round in %.0f ns, these in %.0f "
                     "ns: every contended handover costs about one, so contended cells differ "
                     "for that alone; cells with one barista compare fairly.", then, now);
}

/* The cores of the machine the result was measured on: a saved result's own (--from), 0 when it
 * does not say; this machine's otherwise. */
static long cores_measured_on(const struct compare_result *r)
{
        if (!r->saved_machine)
                return sysconf(_SC_NPROCESSORS_ONLN);
        json_int_t cores = json_integer_value(json_object_get(r->saved_machine, "cores"));
        return cores > 0 ? (long)cores : 0;
}

/* Spinlocks collapsing once baristas outnumber cores. */
static void explain_collapse(struct compare_result *r, long cores)
{
        const struct compare_cell *worst = NULL, *worst_few = NULL;
        double worst_ratio = 0;

        for (size_t i = 0; i < r->options.scenario_count; i++) {
                const struct scenario *s = r->options.scenarios[i];
                const struct compare_cell *few = cell_at(r, s->name, false);
                const struct compare_cell *many = cell_at(r, s->name, true);
                if (!s->spinlock || !few || !many || many->baristas <= cores ||
                    few->baristas > cores)
                        continue;
                double ratio = many->ns_per_drink.median / few->ns_per_drink.median;
                if (ratio > worst_ratio) {
                        worst_ratio = ratio, worst = many, worst_few = few;
                }
        }
        if (worst && worst_ratio >= 5)
                note(r, "%s takes %.0fx longer per drink at %u baristas than at %u: with more "
                     "baristas than the %ld cores, a waiter spins away its time slice while the "
                     "barista holding (or next in line for) the machine is preempted "
                     "(lock-holder preemption).", worst->scenario->name, worst_ratio,
                     worst->baristas, worst_few->baristas, cores);
}

/* A ticket lock's fairness against test-and-set's, where every barista has a core (with more
 * baristas than cores the scheduler, not the lock, decides who gets the machine). */
static void explain_fairness(struct compare_result *r, long cores)
{
        uint32_t fair_baristas = 0;

        for (size_t i = 0; i < r->options.baristas_count; i++)
                if (r->options.baristas[i] >= 2 && (long)r->options.baristas[i] <= cores &&
                    r->options.baristas[i] > fair_baristas)
                        fair_baristas = (uint32_t)r->options.baristas[i];
        const struct compare_cell *ticket = cell_with(r, "spin-ck-ticket", fair_baristas);
        const char *tas_names[] = { "spin-c11-tas", "spin-ck-fas" };
        for (size_t i = 0; ticket && i < 2; i++) {
                const struct compare_cell *tas = cell_with(r, tas_names[i], fair_baristas);
                if (tas && tas->baristas == ticket->baristas && ticket->fairness > tas->fairness + 0.05) {
                        note(r, "At %u baristas the ticket lock's fairness is %.2f against %.2f for "
                             "%s: tickets serve baristas first come, first served, while "
                             "test-and-set lets whoever swaps first win, often the barista who "
                             "just released the machine.", ticket->baristas, ticket->fairness,
                             tas->fairness, tas->scenario->name);
                        return;
                }
        }
}

/* RCU readers scaling while rwlock readers bounce a cache line. */
static void explain_readers(struct compare_result *r)
{
        const struct compare_cell *rcu1 = cell_at(r, "menu-rcu", false), *rcuN = cell_at(r, "menu-rcu", true);
        const struct compare_cell *rw1 = cell_at(r, "menu-rwlock", false), *rwN = cell_at(r, "menu-rwlock", true);

        if (!rcu1 || !rcuN || !rw1 || !rwN || rcuN->baristas <= rcu1->baristas)
                return;
        double rcu_gain = rcuN->drinks_per_sec.median / rcu1->drinks_per_sec.median;
        double rw_gain = rwN->drinks_per_sec.median / rw1->drinks_per_sec.median;
        if (rcu_gain > rw_gain * 1.2)
                note(r, "From %u to %u baristas, RCU reads per second change %.1fx and "
                     "rwlock reads %.1fx: RCU readers write nothing shared, while every "
                     "rwlock reader writes the lock's reader count, bouncing its cache "
                     "line between cores.", rcu1->baristas, rcuN->baristas, rcu_gain, rw_gain);
}

/* The mutex parking baristas in the kernel. */
static void explain_parking(struct compare_result *r)
{
        const struct compare_cell *mutex = cell_at(r, "mutex", true), *alone = cell_at(r, "mutex", false);

        if (!(mutex && alone && mutex->baristas > 1 && mutex->ctx_switches_per_drink > 0.0001 &&
              mutex->ctx_switches_per_drink > 10 * alone->ctx_switches_per_drink))
                return;
        char against[64] = "against none for one barista alone";
        if (alone->ctx_switches_per_drink > 0)
                snprintf(against, sizeof(against), "%.0fx as often as one barista alone",
                         mutex->ctx_switches_per_drink / alone->ctx_switches_per_drink);
        note(r, "mutex at %u baristas switches context %.2f times per 1000 drinks, %s: a "
             "contended glibc mutex parks waiting baristas in the kernel (futex) and wakes "
             "them again.", mutex->baristas, mutex->ctx_switches_per_drink * 1000, against);
}

void compare_explain(struct compare_result *r)
{
        long cores = cores_measured_on(r);

        explain_collapse(r, cores);
        explain_fairness(r, cores);
        explain_readers(r);
        explain_parking(r);
        explain_round_trips(r);
}
