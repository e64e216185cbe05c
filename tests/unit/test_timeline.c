/* The timeline's analysis (who was at the machine when) and its terminal lanes. */
#include "check.h"
#include "timeline/timeline.h"

#include <stdlib.h>

/* A timeline of hand-made lanes. Each order is {prep, want, got, done} in ns. */
static struct scenario lock_scenario = { .name = "hand-made", .family = FAMILY_LOCK };

static void make(struct timeline *t, uint32_t takes, uint32_t lanes, const uint64_t *counts,
                 const struct timeline_order *const *orders)
{
        memset(t, 0, sizeof(*t));
        t->scenario = &lock_scenario;
        t->machine_takes = takes;
        t->lane_count = lanes;
        t->lanes = calloc(lanes, sizeof(*t->lanes));
        for (uint32_t i = 0; i < lanes; i++) {
                t->lanes[i].barista = i + 1;
                t->lanes[i].count = counts[i];
                t->lanes[i].orders = calloc(counts[i] + 1, sizeof(struct timeline_order));
                memcpy(t->lanes[i].orders, orders[i], counts[i] * sizeof(struct timeline_order));
        }
        timeline_analyze(t);
}

TEST(handovers_are_not_collisions)
{
        /* Barista 2 gets the machine the moment barista 1 is done, twice. */
        static const struct timeline_order one[] = { { 0, 0, 0, 10 }, { 10, 15, 20, 30 } };
        static const struct timeline_order two[] = { { 0, 5, 10, 20 }, { 20, 25, 30, 40 } };
        const struct timeline_order *orders[] = { one, two };
        struct timeline t;

        make(&t, 1, 2, (uint64_t[]){ 2, 2 }, orders);
        ASSERT_EQ_INT(t.most_at_machine, 1);
        ASSERT_EQ_U64(t.overlapping_shots, 0);
        /* Barista 2 waited 5-10 while 1 was there; then 1 waited 15-20 while 2 was there,
         * and 2 waited 25-30 while 1 was there. */
        ASSERT_EQ_U64(t.waited_for_another, 3);
        ASSERT_EQ_U64(t.collision_count, 0);
        ASSERT_NEAR(t.span_ns, 40, 0);
        timeline_release(&t);
}

TEST(an_overlap_is_a_collision_on_both_lanes)
{
        /* Barista 2 steps up at 5 while barista 1 is there until 10: [5, 10) is crowded. */
        static const struct timeline_order one[] = { { 0, 0, 0, 10 }, { 10, 50, 50, 60 } };
        static const struct timeline_order two[] = { { 0, 5, 5, 20 } };
        const struct timeline_order *orders[] = { one, two };
        struct timeline t;

        make(&t, 1, 2, (uint64_t[]){ 2, 1 }, orders);
        ASSERT_EQ_INT(t.most_at_machine, 2);
        ASSERT_EQ_U64(t.overlapping_shots, 2); /* barista 1's first and barista 2's only */
        ASSERT_EQ_U64(t.collision_count, 1);
        ASSERT_NEAR(t.collisions[0].from_ns, 5, 0);
        ASSERT_NEAR(t.collisions[0].to_ns, 10, 0);
        timeline_release(&t);
}

TEST(two_group_heads_take_two)
{
        /* Three baristas: two at once is fine, the third makes it crowded for [8, 9). */
        static const struct timeline_order one[] = { { 0, 0, 0, 10 } };
        static const struct timeline_order two[] = { { 0, 2, 2, 9 } };
        static const struct timeline_order three[] = { { 0, 8, 8, 30 } };
        const struct timeline_order *orders[] = { one, two, three };
        struct timeline t;

        make(&t, 2, 3, (uint64_t[]){ 1, 1, 1 }, orders);
        ASSERT_EQ_INT(t.most_at_machine, 3);
        ASSERT_EQ_U64(t.collision_count, 1);
        ASSERT_NEAR(t.collisions[0].from_ns, 8, 0);
        ASSERT_NEAR(t.collisions[0].to_ns, 9, 0);
        ASSERT_EQ_U64(t.overlapping_shots, 3);
        timeline_release(&t);
        make(&t, 3, 3, (uint64_t[]){ 1, 1, 1 }, orders);
        ASSERT_EQ_U64(t.overlapping_shots, 0);
        timeline_release(&t);
}

TEST(lanes_show_each_state_where_it_was)
{
        /* 100 ns in 10 columns: preparing 0-30, waiting 30-50, at the machine 50-80, then gone. */
        static const struct timeline_order one[] = { { 0, 30, 50, 80 } };
        static const struct timeline_order two[] = { { 0, 90, 90, 100 } };
        const struct timeline_order *orders[] = { one, two };
        struct timeline t;
        char row[11];

        make(&t, 1, 2, (uint64_t[]){ 1, 1 }, orders);
        timeline_lane_row(&t, &t.lanes[0], 10, row);
        ASSERT_STREQ(row, "---~~###  ");
        timeline_lane_row(&t, &t.lanes[1], 10, row);
        ASSERT_STREQ(row, "---------#");
        timeline_release(&t);
}

TEST(a_handover_inside_one_column_never_shows_two_at_the_machine)
{
        /* Columns of 10 ns; the machine changes hands at 15, in the middle of column 1. */
        static const struct timeline_order one[] = { { 0, 0, 0, 15 } };
        static const struct timeline_order two[] = { { 0, 0, 15, 40 } };
        const struct timeline_order *orders[] = { one, two };
        struct timeline t;
        char first[5], second[5];

        make(&t, 1, 2, (uint64_t[]){ 1, 1 }, orders);
        timeline_lane_row(&t, &t.lanes[0], 4, first);
        timeline_lane_row(&t, &t.lanes[1], 4, second);
        for (int c = 0; c < 4; c++)
                ASSERT_TRUE(!(first[c] == '#' && second[c] == '#'));
        ASSERT_TRUE(strchr(first, 'X') == NULL && strchr(second, 'X') == NULL);
        timeline_release(&t);
}

TEST(a_collision_shows_however_short)
{
        /* 1 ns of overlap in a 100 ns column still marks both lanes. */
        static const struct timeline_order one[] = { { 0, 0, 0, 51 } };
        static const struct timeline_order two[] = { { 0, 50, 50, 100 } };
        const struct timeline_order *orders[] = { one, two };
        struct timeline t;
        char row[2];

        make(&t, 1, 2, (uint64_t[]){ 1, 1 }, orders);
        timeline_lane_row(&t, &t.lanes[0], 1, row);
        ASSERT_STREQ(row, "X");
        timeline_lane_row(&t, &t.lanes[1], 1, row);
        ASSERT_STREQ(row, "X");
        timeline_release(&t);
}

TEST(cycles_become_ns_from_the_first_start)
{
        struct scenario s = { .name = "hand-made", .family = FAMILY_LOCK };
        struct run_config config = { .baristas = 2, .orders = 2 };
        struct timeline t;

        ASSERT_TRUE(timeline_prepare(&t, &s, &config));
        /* 2 cycles per ns; barista 2 starts 100 cycles after barista 1. */
        t.lanes[0].start_cycles = 1000;
        t.lanes[1].start_cycles = 1100;
        lane_record(&t.lanes[0], &(struct order_cycles){ 0, 1020, 1040, 1060 });
        lane_record(&t.lanes[1], &(struct order_cycles){ 1110, 1120, 1130, 1150 });
        timeline_finish(&t, 2.0);
        const struct timeline_order *a = &t.lanes[0].orders[0], *b = &t.lanes[1].orders[0];
        ASSERT_NEAR(a->prep_ns, 0, 0);   /* the lane's start */
        ASSERT_NEAR(a->want_ns, 10, 0);
        ASSERT_NEAR(a->done_ns, 30, 0);
        ASSERT_NEAR(b->prep_ns, 55, 0);  /* as the scenario said */
        ASSERT_NEAR(b->got_ns, 65, 0);
        ASSERT_EQ_INT(t.most_at_machine, 1);
        timeline_release(&t);
}

TEST(waiting_alone_is_not_waiting_for_another)
{
        /* Barista 2 waits 12-20 while nobody is at the machine (1 left at 10, returns at 20). */
        static const struct timeline_order one[] = { { 0, 0, 0, 10 }, { 10, 20, 20, 30 } };
        static const struct timeline_order two[] = { { 0, 12, 20.5, 25 } };
        const struct timeline_order *orders[] = { one, two };
        struct timeline t;

        make(&t, 2, 2, (uint64_t[]){ 2, 1 }, orders);
        ASSERT_EQ_U64(t.waited_for_another, 1); /* 12-20.5 overlaps 1's second shot from 20 */
        timeline_release(&t);
        static const struct timeline_order three[] = { { 0, 12, 19, 25 } };
        const struct timeline_order *alone[] = { one, three };
        make(&t, 2, 2, (uint64_t[]){ 2, 1 }, alone);
        ASSERT_EQ_U64(t.waited_for_another, 0);
        timeline_release(&t);
}

CHECK_MAIN(TEST_ENTRY(waiting_alone_is_not_waiting_for_another), TEST_ENTRY(handovers_are_not_collisions), TEST_ENTRY(an_overlap_is_a_collision_on_both_lanes),
           TEST_ENTRY(two_group_heads_take_two), TEST_ENTRY(lanes_show_each_state_where_it_was),
           TEST_ENTRY(a_handover_inside_one_column_never_shows_two_at_the_machine),
           TEST_ENTRY(a_collision_shows_however_short),
           TEST_ENTRY(cycles_become_ns_from_the_first_start))
