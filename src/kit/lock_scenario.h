/*
 * The shape every lock scenario shares, so that a lock's file holds only the lock.
 *
 * A lock scenario's file defines three functions, then ends with LOCK_SCENARIO:
 *
 *      static bool machine_lock_if_free(struct barista *b);  takes the lock if nobody holds it
 *                                                            (true), else leaves it (false)
 *      static void machine_lock(struct barista *b);          waits for the lock and takes it
 *      static void machine_unlock(struct barista *b);        gives it back
 *
 * and the baristas run the loop below: the same loop as scenarios/mutex.c spells out. Trying
 * first is how a lock tells whether a barista had to wait ("contended"). Where a lock has no
 * trylock, machine_lock_if_free() may peek at the lock's own state instead.
 */
#ifndef ESPRESSO_LOCK_SCENARIO_H
#define ESPRESSO_LOCK_SCENARIO_H

#include "scenario.h"
#include "variant.h"

#define LOCK_SCENARIO(descriptor, ...)                                                      \
        static void descriptor##_barista(struct barista *b)                                 \
        {                                                                                   \
                while (barista_take_order(b)) {                                             \
                        if (!machine_lock_if_free(b)) {                                     \
                                barista_note_contended(b);                                  \
                                machine_lock(b);                                            \
                        }                                                                   \
                        machine_pull_shot(b);                                               \
                        machine_unlock(b);                                                  \
                        barista_serve_drink(b);                                             \
                }                                                                           \
        }                                                                                   \
        SCENARIO(descriptor, .family = FAMILY_LOCK, .expect = VERDICT_CLEAN,                     \
                 .tells_contention = true, .shot_is_the_critical_section = true,            \
                 .barista = descriptor##_barista, __VA_ARGS__)

#endif
