/*
 * What the members of a controlled run wait for in each other: the helper for the baristas'
 * shifts to end; and RCU (rcu.h): which baristas are inside a read-side section, and the grace
 * period, which waits until every barista that was inside one when it began has left that
 * section, or finished. Kept by barista id; only the barista holding the turn touches it.
 */
#include "schedule.h"

#include <string.h>

static uint32_t nesting[SCHEDULE_MAX_BARISTAS + 1];       /* sections each is in */
static uint64_t sections_left[SCHEDULE_MAX_BARISTAS + 1]; /* outermost sections each has left */
/* The grace period barista w waits for: reader r's sections left when it began, or UINT64_MAX
 * for a barista that was not reading then. */
static uint64_t grace_began[SCHEDULE_MAX_BARISTAS + 1][SCHEDULE_MAX_BARISTAS + 1];

void schedule_rcu_reset(void)
{
        memset(nesting, 0, sizeof(nesting));
        memset(sections_left, 0, sizeof(sections_left));
}

void schedule_rcu_read_lock(void)
{
        nesting[schedule_current_barista()]++;
}

void schedule_rcu_read_unlock(void)
{
        uint32_t me = schedule_current_barista();

        if (nesting[me] > 0 && --nesting[me] == 0)
                sections_left[me]++;
}

static bool grace_period_over(const struct schedule_object *object, uint64_t since,
                              uint32_t waiter)
{
        (void)object, (void)since;
        for (uint32_t r = 1; r <= schedule_members(); r++) {
                uint64_t began = grace_began[waiter][r];
                if (began != UINT64_MAX && !schedule_member_done(r) && sections_left[r] == began)
                        return false;
        }
        return true;
}

void schedule_rcu_grace_period(unsigned line)
{
        uint32_t me = schedule_current_barista();
        bool readers = false;

        if (me == 0)
                return;
        for (uint32_t r = 1; r <= schedule_members(); r++) {
                bool reading = r != me && !schedule_member_done(r) && nesting[r] > 0;
                grace_began[me][r] = reading ? sections_left[r] : UINT64_MAX;
                readers |= reading;
        }
        if (!readers)
                return;
        schedule_mark_previous_waits();
        schedule_point_when(SCHEDULE_GRACE_PERIOD, NULL, line, grace_period_over, 0, false);
}

bool schedule_baristas_done(void)
{
        for (uint32_t b = 1; b <= schedule_members(); b++)
                if (b != schedule_helper() && !schedule_member_done(b))
                        return false;
        return true;
}

static bool baristas_done_ready(const struct schedule_object *object, uint64_t since,
                                uint32_t barista)
{
        (void)object, (void)since, (void)barista;
        return schedule_baristas_done();
}

void schedule_wait_for_baristas(void)
{
        if (schedule_current_barista() && !schedule_baristas_done())
                schedule_point_when(SCHEDULE_MANAGER_TURN, NULL, 0, baristas_done_ready, 0, false);
}
