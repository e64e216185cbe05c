/* What the files of the controlled schedule's model share (schedule_sync.c defines them). */
#ifndef ESPRESSO_SCHEDULE_MODEL_H
#define ESPRESSO_SCHEDULE_MODEL_H

#include "schedule.h"
#include "variant_controlled.h"

#ifdef ESPRESSO_CONTROLLED_BUILD
/* glibc's mutex kind: PTHREAD_MUTEX_NORMAL, _RECURSIVE, _ERRORCHECK (the type it was given). */
int schedule_mutex_kind(const pthread_mutex_t *mutex);

/* Takes the lock as a mutex of that kind is taken: waits, step after step, while another holds
 * it; a recursive one counts. 0, or EDEADLK for an error-checking mutex its holder relocks. */
int schedule_lock_take(struct schedule_object *o, unsigned line, int kind);

/* Waits, after the step just taken, until ready; each retry is a step of the same kind. */
void schedule_wait_until(enum schedule_point point, struct schedule_object *o, unsigned line,
                         schedule_ready ready);

/* The object at address is made anew: the model forgets who held it and its count. */
void schedule_forget(const void *address);
#endif

#endif
