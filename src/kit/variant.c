#include "variant.h"

#if defined(ESPRESSO_TSAN) || defined(ESPRESSO_VALGRIND_BUILD)
#include <stdlib.h>
#include <string.h>

bool annotations_on = true;

/* Before main: no thread exists yet, so the flag is only ever read after this write. */
__attribute__((constructor)) static void annotations_configure(void)
{
        const char *setting = getenv("ESPRESSO_TSAN_ANNOTATIONS");
        annotations_on = !(setting && strcmp(setting, "off") == 0);
}
#endif

#ifdef ESPRESSO_VALGRIND_BUILD
#include "variant_atomics.h"

#include <stdint.h>

/*
 * The atomic objects a releasing write has reached, for variant_atomics.h: an acquire of one of
 * them may be told to DRD as a happens-after (a release of its address came first); an acquire
 * of an object never released reads a value nobody published, and is told nothing.
 *
 * A set of addresses, open addressing, entries only ever added. Its own synchronization must
 * not be seen by the tools as ordering between baristas (a mutex here would hide races), so it
 * is lock-free, on the compiler's atomic builtins, which Helgrind and DRD take for plain
 * accesses: its bytes are excluded from their checks. Valgrind runs one thread at a time; the
 * builtins keep the set correct should this build run natively. Full, it stops adding: an
 * acquire of an object it could not record is then told nothing, which can only make a tool
 * report more, never hide a race.
 */
#define RELEASED_SLOTS 4096 /* a power of two; a scenario has a handful of atomic objects */

static uintptr_t released[RELEASED_SLOTS];

static size_t released_slot(uintptr_t key)
{
        return (size_t)((key >> 3) * 0x9E3779B97F4A7C15ull >> 52) & (RELEASED_SLOTS - 1);
}

__attribute__((constructor)) static void released_exclude(void)
{
        variant_lab_words(released, sizeof(released));
}

void variant_atomic_wrote(const volatile void *obj, int order)
{
        uintptr_t key = (uintptr_t)obj;

        if (!annotations_on || !variant_order_releases(order))
                return;
        for (size_t i = released_slot(key), probes = 0; probes < RELEASED_SLOTS;
             i = (i + 1) & (RELEASED_SLOTS - 1), probes++) {
                uintptr_t seen = __atomic_load_n(&released[i], __ATOMIC_ACQUIRE);
                if (seen == key)
                        return;
                if (seen == 0 && __atomic_compare_exchange_n(&released[i], &seen, key, false,
                                                             __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
                        return;
                if (seen == key)
                        return;
        }
}

static bool released_before(uintptr_t key)
{
        for (size_t i = released_slot(key), probes = 0; probes < RELEASED_SLOTS;
             i = (i + 1) & (RELEASED_SLOTS - 1), probes++) {
                uintptr_t seen = __atomic_load_n(&released[i], __ATOMIC_ACQUIRE);
                if (seen == key)
                        return true;
                if (seen == 0)
                        return false;
        }
        return false;
}

void variant_atomic_acquired(const volatile void *obj, int order)
{
        if (annotations_on && variant_order_acquires(order) && released_before((uintptr_t)obj))
                variant_lab_acquire(obj);
}
#endif
