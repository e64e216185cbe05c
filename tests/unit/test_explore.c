/* explore's bookkeeping on hand-made traces: schedules as text both ways and their refusals, the
 * default choice, preemptions, switches, the length a schedule must name, the strategies'
 * choices, and a story's lost shot. */
#include "check.h"
#include "explore/chooser.h"
#include "explore/explore.h"
#include "explore/story.h"

#include <stdlib.h>

/* A step: barista b chosen after `current`, among `runnable` (a mask), yielding or not. */
static struct schedule_step step(uint8_t b, uint8_t current, uint16_t runnable, bool yielded)
{
        return (struct schedule_step){ .barista = b, .current = current, .runnable = runnable,
                                       .yielded = yielded, .point = SCHEDULE_TAKE_ORDER };
}

/* unsync's lost shot in one preemption: 1 runs four steps, 2 takes over while 1 could go on,
 * then 2 runs to the end of its shift, and 1 (alone) finishes. */
static struct schedule_step lost_shot[] = {
        { .barista = 1, .current = 0, .runnable = 3, .point = SCHEDULE_BEGIN },
        { .barista = 1, .current = 1, .runnable = 3, .point = SCHEDULE_TAKE_ORDER, .value = 1 },
        { .barista = 1, .current = 1, .runnable = 3, .point = SCHEDULE_STEP_UP },
        { .barista = 1, .current = 1, .runnable = 3, .point = SCHEDULE_READ_COUNT, .value = 0 },
        { .barista = 2, .current = 1, .runnable = 3, .point = SCHEDULE_BEGIN },
        { .barista = 2, .current = 2, .runnable = 3, .point = SCHEDULE_TAKE_ORDER, .value = 1 },
        { .barista = 2, .current = 2, .runnable = 3, .point = SCHEDULE_STEP_UP, .value = 1 },
        { .barista = 2, .current = 2, .runnable = 3, .point = SCHEDULE_READ_COUNT, .value = 0 },
        { .barista = 2, .current = 2, .runnable = 3, .point = SCHEDULE_WRITE_COUNT, .value = 1 },
        { .barista = 2, .current = 2, .runnable = 3, .point = SCHEDULE_END },
        { .barista = 1, .current = 2, .runnable = 1, .point = SCHEDULE_WRITE_COUNT, .value = 1 },
        { .barista = 1, .current = 1, .runnable = 1, .point = SCHEDULE_END },
};

static struct schedule_trace trace_of(struct schedule_step *steps, uint64_t n)
{
        return (struct schedule_trace){ .steps = steps, .capacity = n, .count = n, .baristas = 2 };
}

TEST(default_stays_while_it_can_then_takes_the_lowest_other)
{
        ASSERT_EQ_INT(default_choice(0, 0x3, false), 1);  /* the start: the lowest */
        ASSERT_EQ_INT(default_choice(2, 0x3, false), 2);  /* 2 goes on */
        ASSERT_EQ_INT(default_choice(2, 0x3, true), 1);   /* 2 gives way */
        ASSERT_EQ_INT(default_choice(2, 0x5, false), 1);  /* 2 waits: the lowest of 1 and 3 */
        ASSERT_EQ_INT(default_choice(1, 0x1, true), 1);   /* giving way to nobody */
        struct schedule_step s = step(2, 1, 0x3, false);
        ASSERT_EQ_INT(schedule_default_choice(&s), 1);
}

TEST(preemptions_and_switches_of_a_trace)
{
        struct schedule_trace t = trace_of(lost_shot, sizeof(lost_shot) / sizeof(lost_shot[0]));
        ASSERT_EQ_U64(schedule_preemptions(&t), 1);
        size_t n;
        struct schedule_switch *sw = schedule_switches_of(&t, &n);
        ASSERT_EQ_U64(n, 1);
        ASSERT_EQ_U64(sw[0].step, 4);
        ASSERT_EQ_INT(sw[0].barista, 2);
        free(sw);
        /* Everything after the switch is the default: five steps say it all. */
        ASSERT_EQ_U64(schedule_needed_length(&t), 5);
        /* A switch away from a barista that waits, or gives way, is no preemption. */
        struct schedule_step waits[] = { step(1, 0, 3, false), step(2, 1, 2, false) };
        struct schedule_trace w = trace_of(waits, 2);
        ASSERT_EQ_U64(schedule_preemptions(&w), 0);
        struct schedule_step yields[] = { step(1, 0, 3, false), step(2, 1, 3, true) };
        struct schedule_trace y = trace_of(yields, 2);
        ASSERT_EQ_U64(schedule_preemptions(&y), 0);
        ASSERT_EQ_U64(schedule_needed_length(&y), 0); /* giving way to 2 is the default */
}

TEST(schedule_text_round_trip)
{
        struct schedule_trace t = trace_of(lost_shot, sizeof(lost_shot) / sizeof(lost_shot[0]));
        char text[SCHEDULE_TEXT_MAX], why[256];
        struct schedule_text back;

        schedule_text_write("unsync", 2, 4, 0xb351a0, &t, schedule_needed_length(&t), text,
                            sizeof(text));
        ASSERT_STREQ(text, "unsync:b2:o4:b351a0:1x4.2");
        ASSERT_EQ_INT(schedule_text_read(text, &back, why, sizeof(why)), 0);
        ASSERT_STREQ(back.scenario, "unsync");
        ASSERT_EQ_INT(back.baristas, 2);
        ASSERT_EQ_U64(back.orders, 4);
        ASSERT_EQ_U64(back.fingerprint, 0xb351a0);
        ASSERT_EQ_U64(back.length, 5);
        ASSERT_EQ_INT(back.sequence[3], 1);
        ASSERT_EQ_INT(back.sequence[4], 2);
        schedule_text_free(&back);
        schedule_text_write("deadlock", 2, 4, 0x3bf3a4, &t, 0, text, sizeof(text));
        ASSERT_STREQ(text, "deadlock:b2:o4:3bf3a4:default");
        ASSERT_EQ_INT(schedule_text_read(text, &back, why, sizeof(why)), 0);
        ASSERT_EQ_U64(back.length, 0);
        schedule_text_free(&back);
}

TEST(schedule_text_too_long_is_no_schedule)
{
        enum { STEPS = 600 };
        static struct schedule_step alternating[STEPS];
        char text[SCHEDULE_TEXT_MAX];

        for (int i = 0; i < STEPS; i++) /* every step a switch: "1.2.1.2..." */
                alternating[i] = step((uint8_t)(1 + i % 2), (uint8_t)(1 + (i + 1) % 2), 3, false);
        struct schedule_trace t = trace_of(alternating, STEPS);
        ASSERT_TRUE(!schedule_text_write("unsync", 2, 4, 1, &t, STEPS, text, sizeof(text)));
        ASSERT_STREQ(text, "");
        ASSERT_TRUE(schedule_text_write("unsync", 2, 4, 1, &t, 100, text, sizeof(text)));
        ASSERT_TRUE(strlen(text) > 200);
}

TEST(schedule_text_refusals_say_why)
{
        static const char *const bad[] = {
                "", "unsync", ":b2:o4:000000:1", "unsync:b0:o4:000000:1", "unsync:b9:o4:000000:1",
                "unsync:b2:o4:zz:1", "unsync:b2:o4:000000:0", "unsync:b2:o4:000000:1x0",
                "unsync:b2:o4:000000:1x", "unsync:b2:o4:000000:1..2", "unsync:b2:o4:000000:17",
                "unsync:b2:o4:000000:1x99999999", "unsync:b2:o4:000000:1,2",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                struct schedule_text t;
                char why[256] = "";
                if (schedule_text_read(bad[i], &t, why, sizeof(why)) == 0)
                        CHECK_FAIL("'%s' was read as a schedule", bad[i]);
                if (!why[0])
                        CHECK_FAIL("'%s' was refused without a reason", bad[i]);
        }
}

TEST(fingerprint_tells_other_steps_apart)
{
        struct schedule_step a[] = { step(1, 0, 3, false), step(2, 1, 3, false) };
        struct schedule_step b[] = { step(1, 0, 3, false), step(2, 1, 3, false) };
        struct schedule_trace ta = trace_of(a, 2), tb = trace_of(b, 2);
        ASSERT_EQ_U64(schedule_fingerprint(&ta), schedule_fingerprint(&tb));
        b[1].point = SCHEDULE_LOCK; /* the same baristas, another action */
        ASSERT_TRUE(schedule_fingerprint(&ta) != schedule_fingerprint(&tb));
        ASSERT_TRUE(schedule_fingerprint(&ta) <= 0xffffff);
}

TEST(strategies_choose_among_those_who_can_go)
{
        uint32_t both[] = { 1, 2 };
        struct schedule_choice c = { both, 2, 1, true, false, 0 };
        struct chooser random = { .kind = CHOOSE_RANDOM, .seed = 42 };
        struct chooser_state s;
        unsigned seen[3] = { 0 };

        chooser_start(&s, &random, 2, NULL);
        for (int i = 0; i < 1000; i++)
                seen[chooser_choose(&s, &c)]++;
        ASSERT_TRUE(seen[1] > 350 && seen[2] > 350); /* uniform: 500 each, give or take */
        c.yielded = true; /* barista 1 gives way: the other goes */
        for (int i = 0; i < 20; i++)
                ASSERT_EQ_INT(chooser_choose(&s, &c), 2);

        /* pct without change points: the same barista, the highest priority, every time. */
        struct chooser pct = { .kind = CHOOSE_PCT, .seed = 7, .depth = 1, .steps = 10 };
        chooser_start(&s, &pct, 2, NULL);
        c.yielded = false;
        uint32_t first = chooser_choose(&s, &c);
        for (int i = 0; i < 20; i++)
                ASSERT_EQ_INT(chooser_choose(&s, &c), first);
        /* A change point at a step drops whoever would go next below the other. */
        struct chooser pct2 = { .kind = CHOOSE_PCT, .seed = 7, .depth = 2, .steps = 1 };
        chooser_start(&s, &pct2, 2, NULL);
        c.step = 0;
        uint32_t before = chooser_choose(&s, &c);
        c.step = 1; /* the only change point, drawn from [1, 1] */
        ASSERT_EQ_INT(chooser_choose(&s, &c), 3 - before);

        /* Switches: where one is due and its barista can go, it; elsewhere the default. */
        struct schedule_switch sw[] = { { 3, 2 } };
        struct chooser switches = { .kind = CHOOSE_SWITCHES, .switches = sw, .switch_count = 1 };
        chooser_start(&s, &switches, 2, NULL);
        c.step = 2;
        ASSERT_EQ_INT(chooser_choose(&s, &c), 1);
        c.step = 3;
        ASSERT_EQ_INT(chooser_choose(&s, &c), 2);
}

TEST(story_marks_the_lost_shot_where_it_happens)
{
        struct controlled_result r = { .finding = FINDING_LOST_SHOT };
        static const struct scenario unsync = { .name = "unsync" };
        struct story st;

        r.trace = trace_of(lost_shot, sizeof(lost_shot) / sizeof(lost_shot[0]));
        snprintf(r.what, sizeof(r.what), "1 of 2 shots were lost");
        ASSERT_EQ_INT(story_make(&unsync, &r, &st), 0);
        ASSERT_EQ_U64(st.count, r.trace.count);
        ASSERT_STREQ(st.lines[3].action, "reads shots = 0");
        ASSERT_TRUE(st.lines[4].preempted);
        ASSERT_STREQ(st.lines[6].note, "two baristas at the machine at once");
        ASSERT_STREQ(st.lines[10].action, "writes shots = 1");
        ASSERT_STREQ(st.lines[10].note, "over barista 2's 1: a shot is lost");
        ASSERT_STREQ(st.lines[8].note, ""); /* the first write of 1 loses nothing */
        ASSERT_STREQ(st.ending, "1 of 2 shots were lost");
        story_free(&st);
}

CHECK_MAIN(TEST_ENTRY(default_stays_while_it_can_then_takes_the_lowest_other),
           TEST_ENTRY(preemptions_and_switches_of_a_trace), TEST_ENTRY(schedule_text_round_trip),
           TEST_ENTRY(schedule_text_too_long_is_no_schedule),
           TEST_ENTRY(schedule_text_refusals_say_why), TEST_ENTRY(fingerprint_tells_other_steps_apart),
           TEST_ENTRY(strategies_choose_among_those_who_can_go),
           TEST_ENTRY(story_marks_the_lost_shot_where_it_happens))
