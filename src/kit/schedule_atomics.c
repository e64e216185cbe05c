/*
 * A scenario's C11 atomics in a controlled run (variant_atomics.h maps them here): each operation
 * is a scheduling point, and what it did is a step. A barista that reads the same object again
 * from the same line, unchanged and unwritten since, is spinning: it waits for a write.
 */
#include "schedule.h"
#include "variant_controlled.h"

#ifdef ESPRESSO_CONTROLLED_BUILD
#include <string.h>

/* The bytes of an atomic object, as a number to compare (the first 8 of a larger one). */
static uint64_t atomic_bytes(const volatile void *object, size_t size)
{
        uint64_t bytes = 0;

        memcpy(&bytes, (const void *)object, size < sizeof(bytes) ? size : sizeof(bytes));
        return bytes;
}

uint64_t controlled_atomic_before(const volatile void *object, size_t size,
                                  enum schedule_point point, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at((const void *)object, expression);

        if (!o)
                return 0;
        /* Reading again, from the same line, what it read last, unchanged and unwritten since:
         * a spin. It waits for a write, softly (schedule.c), and the read it is repeating is
         * marked as the start of its wait. */
        if (point != SCHEDULE_ATOMIC_WRITE && schedule_spinning_on(o, line)) {
                schedule_mark_previous_waits();
                schedule_point_when(point, o, line, schedule_written_since, o->writes, true);
        } else {
                schedule_point_when(point, o, line, NULL, 0, false);
        }
        return atomic_bytes(object, size);
}

void controlled_atomic_after(const volatile void *object, size_t size, uint64_t before,
                             enum schedule_point point, unsigned line)
{
        struct schedule_object *o = schedule_object_at((const void *)object, "");

        if (!o)
                return;
        uint64_t after = atomic_bytes(object, size);
        if (after != before) {
                schedule_object_written(o);
                schedule_spin_on(NULL, 0);
        } else {
                schedule_spin_on(point == SCHEDULE_ATOMIC_WRITE ? NULL : o, line);
        }
        if (point == SCHEDULE_ATOMIC_UPDATE)
                schedule_outcome_update(before, after);
        else
                schedule_outcome(after, SCHEDULE_DONE);
}
#endif
