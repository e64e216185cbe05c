/* Reading ThreadSanitizer's reports, on reports captured from clang 14's runtime. */
#include "check.h"
#include "tsan_report.h"

static const char unsync_report[] =
        "==================\n"
        "WARNING: ThreadSanitizer: data race (pid=3022)\n"
        "  Write of size 8 at 0x558f4c7cd3c0 by thread T2:\n"
        "    #0 machine_pull_shot src/machine.h:49:17 (espresso-lab-tsan+0xd8ec9) (BuildId: 384a)\n"
        "    #1 unsync_barista scenarios/unsync.c:13:17 (espresso-lab-tsan+0xd8ec9)\n"
        "    #2 barista_work_shift src/run.c:39:9 (espresso-lab-tsan+0xd75b5) (BuildId: 384a)\n"
        "\n"
        "  Previous write of size 8 at 0x558f4c7cd3c0 by thread T1:\n"
        "    #0 machine_pull_shot src/machine.h:49:17 (espresso-lab-tsan+0xd8ec9) (BuildId: 384a)\n"
        "    #1 unsync_barista scenarios/unsync.c:13:17 (espresso-lab-tsan+0xd8ec9)\n"
        "\n"
        "  Location is global 'espresso_machine' of size 64 at 0x558f4c7cd3c0 (espresso-lab-tsan+0x14813c0)\n"
        "\n"
        "  Thread T2 (tid=3026, running) created by main thread at:\n"
        "    #0 pthread_create <null> (espresso-lab-tsan+0x5256d) (BuildId: 384a)\n"
        "    #1 run_scenario src/run.c:228:17 (espresso-lab-tsan+0xd6729) (BuildId: 384a)\n"
        "\n"
        "SUMMARY: ThreadSanitizer: data race src/machine.h:49:17 in machine_pull_shot\n"
        "==================\n"
        "ThreadSanitizer: reported 1 warnings\n";

static const char deadlock_then_heap_race[] =
        "==================\n"
        "WARNING: ThreadSanitizer: lock-order-inversion (potential deadlock) (pid=4252)\n"
        "  Cycle in lock order graph: M0 (0x562fcbef9258) => M1 (0x562fcbef9280) => M0\n"
        "\n"
        "  Mutex M1 acquired here while holding mutex M0 in main thread:\n"
        "    #0 pthread_mutex_lock <null> (loi+0x6ef3a) \n"
        "    #1 main scenarios/deadlock.c:7:33 (loi+0xd010e) \n"
        "\n"
        "SUMMARY: ThreadSanitizer: lock-order-inversion (potential deadlock) (/tmp/loi+0x6ef3a)  in __interceptor_pthread_mutex_lock\n"
        "==================\n"
        "==================\n"
        "WARNING: ThreadSanitizer: data race (pid=4252)\n"
        "  Write of size 4 at 0x7b0800000024 by main thread:\n"
        "    #0 main /tmp/loi.c:9:82 (loi+0xd019a) \n"
        "\n"
        "  Location is heap block of size 24 at 0x7b0800000020 allocated by main thread:\n"
        "    #0 calloc <null> (loi+0x4fdf7) \n"
        "\n"
        "SUMMARY: ThreadSanitizer: data race /tmp/loi.c:9:82 in main\n"
        "==================\n"
        "ThreadSanitizer: reported 2 warnings\n";

TEST(clean_output_is_clean)
{
        struct tsan_findings f;
        tsan_parse("unsync — some table output\n", &f);
        ASSERT_EQ_INT(f.reports, 0);
        ASSERT_EQ_INT(f.observed, VERDICT_CLEAN);
        ASSERT_TRUE(!f.has_first);
        ASSERT_TRUE(!f.tsan_failed);
}

TEST(data_race_on_the_shot_counter)
{
        struct tsan_findings f;
        tsan_parse(unsync_report, &f);
        ASSERT_EQ_INT(f.reports, 1);
        ASSERT_EQ_INT(f.observed, VERDICT_RACE);
        ASSERT_STREQ(f.first.kind, "data race");
        ASSERT_STREQ(f.first.location, "src/machine.h:49");
        ASSERT_STREQ(f.first.function, "machine_pull_shot");
        ASSERT_STREQ(f.first.variable, "espresso_machine.shots");
        ASSERT_STREQ(f.first.caller, "scenarios/unsync.c:13");
}

/* The unsync report, as if the access had been at `address` (the machine is at ...3c0). */
static void parse_at_address(const char *address, struct tsan_findings *f)
{
        char report[sizeof(unsync_report)];
        memcpy(report, unsync_report, sizeof(report));
        char *access = strstr(report, "0x558f4c7cd3c0 by thread T2");
        memcpy(access, address, strlen("0x558f4c7cd3c0"));
        tsan_parse(report, f);
}

TEST(field_is_found_by_offset_into_the_machine)
{
        struct tsan_findings f;
        parse_at_address("0x558f4c7cd3c8", &f);
        ASSERT_STREQ(f.first.variable, "espresso_machine.last_barista");
        parse_at_address("0x558f4c7cd3d0", &f);
        ASSERT_STREQ(f.first.variable, "espresso_machine.in_use_by");
        parse_at_address("0x558f4c7cd3cc", &f); /* padding */
        ASSERT_STREQ(f.first.variable, "espresso_machine");
}

TEST(lock_order_inversion_is_a_deadlock_with_a_real_line)
{
        struct tsan_findings f;
        /* Only the first report. */
        char first[sizeof(deadlock_then_heap_race)];
        memcpy(first, deadlock_then_heap_race, sizeof(first));
        strstr(first, "==================\n==================")[19] = '\0';
        tsan_parse(first, &f);
        ASSERT_EQ_INT(f.reports, 1);
        ASSERT_EQ_INT(f.observed, VERDICT_DEADLOCK);
        ASSERT_STREQ(f.first.kind, "lock-order-inversion (potential deadlock)");
        ASSERT_STREQ(f.first.location, "scenarios/deadlock.c:7");
        ASSERT_STREQ(f.first.function, "main");
        ASSERT_STREQ(f.first.variable, "mutexes M0 => M1 => M0");
}

TEST(a_race_outranks_an_inversion_and_heap_blocks_are_named)
{
        struct tsan_findings f;
        tsan_parse(deadlock_then_heap_race, &f);
        ASSERT_EQ_INT(f.reports, 2);
        ASSERT_EQ_INT(f.observed, VERDICT_RACE);
        ASSERT_STREQ(f.first.kind, "lock-order-inversion (potential deadlock)");

        const char *second = strstr(deadlock_then_heap_race, "==================\n==================") + 19;
        tsan_parse(second, &f);
        ASSERT_STREQ(f.first.variable, "heap block of 24 bytes");
        ASSERT_STREQ(f.first.location, "/tmp/loi.c:9");
}

TEST(tsan_failing_to_start_is_noticed)
{
        struct tsan_findings f;
        tsan_parse("FATAL: ThreadSanitizer: unexpected memory mapping 0x7f00-0x7f10\n", &f);
        ASSERT_TRUE(f.tsan_failed);
        ASSERT_CONTAINS(f.failure, "unexpected memory mapping");
}

CHECK_MAIN(TEST_ENTRY(clean_output_is_clean), TEST_ENTRY(data_race_on_the_shot_counter),
           TEST_ENTRY(field_is_found_by_offset_into_the_machine),
           TEST_ENTRY(lock_order_inversion_is_a_deadlock_with_a_real_line),
           TEST_ENTRY(a_race_outranks_an_inversion_and_heap_blocks_are_named),
           TEST_ENTRY(tsan_failing_to_start_is_noticed))
