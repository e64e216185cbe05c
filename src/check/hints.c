/* Hints from evidence (hints.h). */
#include "hints.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void add(struct check_result *r, const char *id, const char *format, ...)
{
        if (r->hints == CHECK_MAX_HINTS)
                return;
        for (unsigned i = 0; i < r->hints; i++)
                if (strcmp(r->hint[i].id, id) == 0)
                        return;
        struct check_hint *h = &r->hint[r->hints++];
        va_list ap;
        h->id = id;
        va_start(ap, format);
        vsnprintf(h->text, sizeof(h->text), format, ap);
        va_end(ap);
}

/* The lines of the report's two accesses: "lines 14 and 14". */
static void access_lines(const struct check_evidence *e, char *out, size_t size)
{
        unsigned a = e->accesses > 0 ? e->access[0].line : 0;
        unsigned b = e->accesses > 1 ? e->access[1].line : 0;
        if (a && b && a != b)
                snprintf(out, size, "lines %u and %u", a, b);
        else if (a || b)
                snprintf(out, size, "line %u", a ? a : b);
        else
                snprintf(out, size, "the two accesses TSan shows");
}

static bool holds_a_mutex(const struct check_access *a)
{
        return a->mutexes[0] != '\0';
}

/* Whether two held-mutex lists ("write M0, read M1") share a mutex. */
static bool share_a_mutex(const char *x, const char *y)
{
        char copy[128];
        snprintf(copy, sizeof(copy), "%s", x);
        for (char *w = strtok(copy, " ,"); w; w = strtok(NULL, " ,"))
                if (w[0] == 'M' && strstr(y, w))
                        return true;
        return false;
}

static bool one_is_a_read(const struct check_evidence *e)
{
        for (unsigned i = 0; i < e->accesses; i++)
                if (strstr(e->access[i].what, "read") || strstr(e->access[i].what, "Read"))
                        return true;
        return false;
}

/* A data race TSan reported: which mechanism, from the variable and the held mutexes. */
static void race_hint(struct check_result *r)
{
        const struct check_evidence *e = &r->evidence;
        const struct check_access *a = &e->access[0], *b = &e->access[1];
        char lines[64];

        access_lines(e, lines, sizeof(lines));
        if (e->accesses == 2 && holds_a_mutex(a) && holds_a_mutex(b) && !share_a_mutex(a->mutexes, b->mutexes)) {
                add(r, HINT_DIFFERENT_LOCKS, "Both sides of the race on %s held a lock, but not the same "
                    "one (%s: %s; %s: %s). A lock protects only what every side locks it for: look at "
                    "which object each barista locks at %s.", e->variable, a->thread, a->mutexes,
                    b->thread, b->mutexes, lines);
                return;
        }
        if (e->accesses == 2 && holds_a_mutex(a) != holds_a_mutex(b)) {
                add(r, e->on_machine ? HINT_LOST_UPDATE : HINT_SHARED_OUTSIDE_LOCK,
                    "One side of the race on %s held a lock and the other did not: some path reaches "
                    "%s without taking it. Look for the one at %s that is not inside the lock.",
                    e->variable, e->variable, lines);
                return;
        }
        if (e->on_machine && e->uses_atomics && e->collisions > 0) {
                add(r, HINT_CHECK_THEN_ACT, "Natively, two baristas were at the machine at once (%llu "
                    "collisions), and TSan saw the shots unordered (%s). Checking that the machine is "
                    "free and then taking it are two steps: another barista can pass the check between "
                    "them. Look for a load followed by a separate store.",
                    (unsigned long long)e->collisions, lines);
                return;
        }
        if (e->on_machine && e->uses_atomics) {
                add(r, HINT_PUBLICATION, "TSan saw two shots on %s that nothing orders (%s), though "
                    "the file uses atomics. Taking a lock must acquire what the last holder released: "
                    "look at the memory orders where the machine is taken and given back.",
                    e->variable, lines);
                return;
        }
        if (e->on_machine) {
                add(r, HINT_LOST_UPDATE, "Two baristas read, add to and write back %s with no lock "
                    "held (%s)%s: a read-modify-write that is not atomic loses updates.", e->variable,
                    lines, e->lost_updates ? ", and natively shots were lost" : "");
                return;
        }
        /* A read and a write on different lines: one side publishes, the other picks up. On the
         * same line it is one read-modify-write (counter++), racing with itself. */
        bool same_line = e->accesses == 2 && a->line && a->line == b->line;
        if (one_is_a_read(e) && !same_line && !holds_a_mutex(a) && (e->accesses < 2 || !holds_a_mutex(b))) {
                add(r, HINT_PUBLICATION, "A write and a read of %s that nothing orders (%s). Whoever "
                    "reads it must see it complete: look at how the writer publishes it and how the "
                    "reader picks it up (release and acquire).", e->variable, lines);
                return;
        }
        add(r, HINT_SHARED_OUTSIDE_LOCK, "The race is on %s, not on the machine%s. State the baristas "
            "share needs the same protection as the machine: look at %s.", e->variable,
            e->lost_updates || e->collisions ? "" : " (whose shots all counted)", lines);
}

/* A run that hung: which kind of hang, from who was stuck and how. */
static void hang_hint(struct check_result *r)
{
        const struct check_evidence *e = &r->evidence;

        if (strstr(e->stuck_state, "setup")) {
                add(r, HINT_NEVER_RETURNS, "The scenario's setup never returned (%s), so no barista "
                    "ever started. Look at the loop in its setup function.", e->stuck_state);
        } else if (e->stuck_spinning) {
                add(r, HINT_ENDLESS_SPIN, "The baristas kept running but served nothing (%s): a loop "
                    "waits for something that never happens. Look at what the loop waits for, and who "
                    "should make it true.", e->stuck_state);
        } else if (!strstr(e->stuck_state, "futex")) {
                add(r, HINT_NEVER_RETURNS, "The baristas stopped serving and waited on nothing the "
                    "others hold (%s): a barista that stops taking orders never ends its shift. Look "
                    "at what the barista does instead of taking the next order.", e->stuck_state);
        } else if (e->stalled_baristas == 1 && !e->lock_order) {
                add(r, HINT_RELOCK, "Even a single barista got stuck (%s): it waits for a lock nobody "
                    "else holds. A pthread mutex that is not recursive cannot be locked again by its "
                    "holder: look for a second lock before the unlock.", e->stuck_state);
        } else {
                add(r, HINT_LOCK_ORDER, "Baristas got stuck waiting for each other (%s): each holds what "
                    "another waits for. Look at the order in which each barista takes its locks.",
                    e->stuck_state);
        }
}

/* An exercise's goals that failed. */
static void goal_hints(struct check_result *r)
{
        const struct check_evidence *e = &r->evidence;

        if (e->forbidden_call)
                add(r, HINT_FORBIDDEN_LOCK, "This exercise asks for a lock of your own, and the file "
                    "calls %s. Build it from C11 atomics (<stdatomic.h>).", e->forbidden_symbol);
        if (e->busy_machine)
                add(r, HINT_BUSY_MACHINE, "Not your code: while a barista was held, other work kept "
                    "the CPUs from the others, who had to show what the lock does. Check again "
                    "when the machine is quieter.");
        if (e->sanitized_build)
                add(r, HINT_SANITIZED_BUILD, "Not your code: this lab was built with sanitizers, and "
                    "a goal that measures is judged by an optimized build (./lab build).");
        if (e->unfair)
                add(r, HINT_UNFAIR, "Baristas who came later got the machine before baristas who had "
                    "been waiting: the lock lets whoever tries at the right moment win it. Look at "
                    "how a waiter's turn is decided.");
        if (e->slow_reads)
                add(r, HINT_SLOW_READS, "Reads do not keep up with the reference. Look at what a reader "
                    "writes that other readers share: a lock it takes, even a shared one, moves a "
                    "cache line between cores on every read.");
}

void hints_derive(struct check_result *r)
{
        const struct check_evidence *e = &r->evidence;

        r->hints = 0;
        if (r->verdict == CHECK_DOES_NOT_COMPILE) {
                add(r, HINT_DOES_NOT_COMPILE, "Read the compiler's first error: it names the line.");
                return;
        }
        if (r->scenario_count == 0 && r->verdict == CHECK_FAILED) {
                add(r, HINT_NO_SCENARIO, "%s", r->why);
                return;
        }
        if (e->contained == SANDBOX_WALL_TIME || e->contained == SANDBOX_CPU_TIME)
                add(r, HINT_NEVER_RETURNS, "A run never returned, not even when the watchdog told it "
                    "to stop: it %s. Look for a loop that does not take orders.", e->contained_how);
        else if (e->contained != SANDBOX_EXITED)
                add(r, HINT_RUNAWAY, "A run %s. Look for a loop that starts processes, allocates or "
                    "prints without end.", e->contained_how);
        if (e->crash_signal)
                add(r, HINT_CRASH, "A run died of signal %d (%s): look at the memory the barista "
                    "reads and writes, and at what it frees.", e->crash_signal,
                    strsignal(e->crash_signal));
        if (e->stalled && e->contained == SANDBOX_EXITED && e->peak_memory_bytes >= CHECK_MEMORY_GREW_BYTES)
                add(r, HINT_RUNAWAY, "A run served nothing while its memory grew to %llu MiB: look "
                    "for a loop that allocates without end.",
                    (unsigned long long)(e->peak_memory_bytes >> 20));
        else if (e->stalled)
                hang_hint(r);
        if (e->lock_order)
                add(r, HINT_LOCK_ORDER, "TSan saw two locks taken in opposite orders (%s): a deadlock "
                    "waiting to happen. Take them in one order everywhere.", e->kind);
        if (e->mutex_misuse)
                add(r, HINT_RELOCK, "TSan saw a mutex misused (%s): locked twice by its holder, or "
                    "unlocked when free. Pair every lock with one unlock.", e->kind);
        if (e->race)
                race_hint(r);
        if (!e->race && (e->collisions || e->lost_updates))
                add(r, HINT_CHECK_THEN_ACT, "Natively, %llu collisions and %llu lost shots, though TSan "
                    "saw every access ordered: a check and the action on it are separate steps, and "
                    "another barista can come between them. Look for a test of a flag followed by a "
                    "separate write to it.", (unsigned long long)e->collisions,
                    (unsigned long long)e->lost_updates);
        if (e->orders_broken)
                add(r, HINT_ORDERS, "%s: look at how an order is handed over, and whether two baristas "
                    "can take the same slot.", e->broken);
        goal_hints(r);
}
