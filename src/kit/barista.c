/* The barista's out-of-line parts: the rare paths of its loop, and the end of its shift. */
#include "barista.h"

#include "../measure/lane.h"
#include "machine.h"
#include "variant.h"

#include <sys/resource.h>
#include <time.h>

atomic_bool barista_stop;
atomic_bool helper_stop;

void barista_record_sample(struct barista *b)
{
        /* A scenario that overlaps its orders (shop-concurrent) may pair one order's times
         * with another's: keep only a consistent sample. */
        if (b->want_cycles > b->got_cycles || b->got_cycles > b->done_cycles) {
                if (b->lane)
                        b->lane->unrecorded++;
                return;
        }
        histogram_record(b->wait_cycles, b->got_cycles - b->want_cycles);
        histogram_record(b->hold_cycles, b->done_cycles - b->got_cycles);
        if (b->lane)
                lane_record(b->lane, &(struct order_cycles){ b->prep_cycles, b->want_cycles,
                                                             b->got_cycles, b->done_cycles });
        b->prep_cycles = 0;
}

void barista_note_contended(struct barista *b)
{
        b->contended++;
}

void barista_record_wait(struct barista *b)
{
        histogram_record(b->wait_cycles, b->got_cycles - b->want_cycles);
}

static int64_t timeval_ns(const struct timeval *t)
{
        return (int64_t)t->tv_sec * 1000000000 + (int64_t)t->tv_usec * 1000;
}

/* A menu reader's shift ends once the manager has finished a change that replaced the version
 * it read last (menu.h): the k-th change replaces version k. Relaxed: it orders nothing, so a
 * race between the reader and the manager stays a race for ThreadSanitizer. */
static void wait_for_menu_change(const struct barista *b)
{
        const struct crew *crew = b->crew;

        /* In a controlled run the schedule decides what overlaps, and the manager is paced by
         * steps: nothing to wait for. */
        if (!b->menu_version_read || crew->helpers == 0 || schedule_controls_me())
                return;
        const struct barista *manager = &crew->staff[crew->baristas];
        /* A version the manager cannot have written is no version: a broken twin that reads a
         * freed menu (menu-rcu-early-free) may find anything there, and waiting for it would
         * never end. When the barista read it, the manager had at most one change under way
         * beyond those it had finished, so the newest it could have written is finished + 2. */
        if (b->menu_version_read > atomic_load_explicit(&manager->heartbeat, memory_order_relaxed) + 2)
                return;
        while (atomic_load_explicit(&manager->heartbeat, memory_order_relaxed) < b->menu_version_read &&
               !atomic_load_explicit(&crew->stopping_early, memory_order_relaxed)) {
                struct timespec nap = { 0, 100 * 1000 }; /* the manager needs the CPU, not us */
                nanosleep(&nap, NULL);
        }
}

bool barista_end_shift(struct barista *b)
{
        struct rusage after;

        if (atomic_load_explicit(&b->finished, memory_order_relaxed))
                return false;
        /* The shift's time and CPU end with its last order, before any waiting below. */
        b->end_ns = clock_now_ns();
        getrusage(RUSAGE_THREAD, &after);
        const struct rusage *before = b->usage_at_start;
        b->ctx_voluntary = (uint64_t)(after.ru_nvcsw - before->ru_nvcsw);
        b->ctx_involuntary = (uint64_t)(after.ru_nivcsw - before->ru_nivcsw);
        /* Added to, not set: a scenario may have added its child processes' CPU time. */
        b->cpu_ns += (uint64_t)(timeval_ns(&after.ru_utime) + timeval_ns(&after.ru_stime) -
                               timeval_ns(&before->ru_utime) - timeval_ns(&before->ru_stime));
        if (b->id <= b->crew->baristas)
                wait_for_menu_change(b);
        atomic_store_explicit(&b->finished, true, memory_order_relaxed);
        return false;
}

/* Every word of the crew's that is only ever accessed atomically, as variant.h tells the tools
 * that cannot see atomics (Helgrind, DRD): the watchdog's heartbeats and notes, slow motion's
 * marks, the stop flags and the machine's in-use mark. Nothing in the other builds. */
void crew_tell_lab_words(struct crew *crew)
{
        for (uint32_t i = 0; i < crew->baristas + crew->helpers; i++) {
                struct barista *b = &crew->staff[i];
                variant_lab_words(&b->heartbeat, sizeof(b->heartbeat));
                variant_lab_words(&b->holding, sizeof(b->holding));
                variant_lab_words(&b->waiting_for, sizeof(b->waiting_for));
                variant_lab_words(&b->finished, sizeof(b->finished));
                variant_lab_words(&b->slow.wanting, sizeof(b->slow.wanting));
                variant_lab_words(&b->slow.window, sizeof(b->slow.window));
                variant_lab_words(&b->slow.steps_up, sizeof(b->slow.steps_up));
                variant_lab_words(&b->slow.reads, sizeof(b->slow.reads));
        }
        variant_lab_words(&crew->stopping_early, sizeof(crew->stopping_early));
        variant_lab_words(&barista_stop, sizeof(barista_stop));
        variant_lab_words(&helper_stop, sizeof(helper_stop));
        variant_lab_words(&espresso_machine.in_use_by, sizeof(espresso_machine.in_use_by));
}
