/*
 * liburcu (memb flavour) for a scenario: include this where a scenario would include
 * <urcu/urcu-memb.h>, after defining _LGPL_SOURCE if it wants the read side inline.
 *
 * In the controlled build (explore, replay) the read-side section's edges and the grace period
 * are scheduling points, and the grace period is the scheduler's (schedule.c): it waits until
 * every barista that was inside a read-side section when it began has left that section, which
 * is what synchronize_rcu() guarantees, no more. liburcu's own grace period is not called there:
 * it would wait, out of the scheduler's sight, for readers that cannot run while it waits.
 */
#ifndef ESPRESSO_KIT_RCU_H
#define ESPRESSO_KIT_RCU_H

#include <urcu/urcu-memb.h>

#if defined(ESPRESSO_CONTROLLED_BUILD) && !defined(ESPRESSO_LAB_SOURCE)
#include "schedule.h"

static inline void controlled_rcu_read_lock(unsigned line)
{
        schedule_point_when(SCHEDULE_RCU_READ_LOCK, NULL, line, NULL, 0, false);
        urcu_memb_read_lock();
        schedule_rcu_read_lock();
}

/* A point after leaving too: what a reader does with a pointer it kept past its section is what
 * the grace period does not wait for, and the updater must be able to come in between. */
static inline void controlled_rcu_read_unlock(unsigned line)
{
        schedule_point_when(SCHEDULE_RCU_READ_UNLOCK, NULL, line, NULL, 0, false);
        urcu_memb_read_unlock();
        schedule_rcu_read_unlock();
        schedule_point_when(SCHEDULE_AFTER_SECTION, NULL, line, NULL, 0, false);
}

static inline void controlled_synchronize_rcu(unsigned line)
{
        if (!schedule_controls_me()) {
                urcu_memb_synchronize_rcu();
                return;
        }
        schedule_point_when(SCHEDULE_GRACE_PERIOD, NULL, line, NULL, 0, false);
        schedule_rcu_grace_period(line);
}

#undef urcu_memb_read_lock
#undef urcu_memb_read_unlock
#undef urcu_memb_synchronize_rcu
#define urcu_memb_read_lock() controlled_rcu_read_lock(__LINE__)
#define urcu_memb_read_unlock() controlled_rcu_read_unlock(__LINE__)
#define urcu_memb_synchronize_rcu() controlled_synchronize_rcu(__LINE__)
#endif

#endif
