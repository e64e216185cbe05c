/* Reading ThreadSanitizer's reports, on reports captured from clang 14's runtime. */
#include "check.h"
#include "kit/machine.h"
#include "tsan/tsan_report.h"
#include "tsan/verdict.h"

/* The machine's fields, as race-check names them. */
static const char *machine_fields(const char *symbol, unsigned long offset)
{
        return strcmp(symbol, "espresso_machine") == 0 ? machine_field_at(offset) : NULL;
}

static const char unsync_report[] =
        "==================\n"
        "WARNING: ThreadSanitizer: data race (pid=3022)\n"
        "  Write of size 8 at 0x558f4c7cd3c0 by thread T2:\n"
        "    #0 machine_pull_shot src/kit/machine.h:49:17 (espresso-lab-tsan+0xd8ec9) (BuildId: 384a)\n"
        "    #1 unsync_barista scenarios/unsync.c:13:17 (espresso-lab-tsan+0xd8ec9)\n"
        "    #2 barista_work_shift src/run.c:39:9 (espresso-lab-tsan+0xd75b5) (BuildId: 384a)\n"
        "\n"
        "  Previous write of size 8 at 0x558f4c7cd3c0 by thread T1:\n"
        "    #0 machine_pull_shot src/kit/machine.h:49:17 (espresso-lab-tsan+0xd8ec9) (BuildId: 384a)\n"
        "    #1 unsync_barista scenarios/unsync.c:13:17 (espresso-lab-tsan+0xd8ec9)\n"
        "\n"
        "  Location is global 'espresso_machine' of size 64 at 0x558f4c7cd3c0 (espresso-lab-tsan+0x14813c0)\n"
        "\n"
        "  Thread T2 (tid=3026, running) created by main thread at:\n"
        "    #0 pthread_create <null> (espresso-lab-tsan+0x5256d) (BuildId: 384a)\n"
        "    #1 run_scenario src/run.c:228:17 (espresso-lab-tsan+0xd6729) (BuildId: 384a)\n"
        "\n"
        "SUMMARY: ThreadSanitizer: data race src/kit/machine.h:49:17 in machine_pull_shot\n"
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
        tsan_parse("unsync — some table output\n", machine_fields, &f);
        ASSERT_EQ_INT(f.reports, 0);
        ASSERT_EQ_INT(f.observed, OBSERVED_CLEAN);
        ASSERT_EQ_INT(f.kept, 0);
        ASSERT_TRUE(!f.tsan_failed);
}

TEST(data_race_on_the_shot_counter)
{
        struct tsan_findings f;
        tsan_parse(unsync_report, machine_fields, &f);
        ASSERT_EQ_INT(f.reports, 1);
        ASSERT_EQ_INT(f.observed, OBSERVED_RACE);
        ASSERT_STREQ(f.report[0].kind, "data race");
        ASSERT_STREQ(f.report[0].location, "src/kit/machine.h:49");
        ASSERT_STREQ(f.report[0].function, "machine_pull_shot");
        ASSERT_STREQ(f.report[0].variable, "espresso_machine.shots");
        ASSERT_STREQ(f.report[0].caller, "scenarios/unsync.c:13");
}

/* The unsync report, as if the access had been at `address` (the machine is at ...3c0). */
static void parse_at_address(const char *address, struct tsan_findings *f)
{
        char report[sizeof(unsync_report)];
        memcpy(report, unsync_report, sizeof(report));
        char *access = strstr(report, "0x558f4c7cd3c0 by thread T2");
        memcpy(access, address, strlen("0x558f4c7cd3c0"));
        tsan_parse(report, machine_fields, f);
}

TEST(field_is_found_by_offset_into_the_machine)
{
        struct tsan_findings f;
        parse_at_address("0x558f4c7cd3c8", &f);
        ASSERT_STREQ(f.report[0].variable, "espresso_machine.last_barista");
        parse_at_address("0x558f4c7cd3d0", &f);
        ASSERT_STREQ(f.report[0].variable, "espresso_machine.in_use_by");
        parse_at_address("0x558f4c7cd3cc", &f); /* padding */
        ASSERT_STREQ(f.report[0].variable, "espresso_machine");
}

TEST(lock_order_inversion_has_a_real_line)
{
        struct tsan_findings f;
        /* Only the first report. */
        char first[sizeof(deadlock_then_heap_race)];
        memcpy(first, deadlock_then_heap_race, sizeof(first));
        strstr(first, "==================\n==================")[19] = '\0';
        tsan_parse(first, machine_fields, &f);
        ASSERT_EQ_INT(f.reports, 1);
        ASSERT_EQ_INT(f.observed, OBSERVED_LOCK_ORDER);
        ASSERT_STREQ(f.report[0].kind, "lock-order-inversion (potential deadlock)");
        ASSERT_STREQ(f.report[0].location, "scenarios/deadlock.c:7");
        ASSERT_STREQ(f.report[0].function, "main");
        ASSERT_STREQ(f.report[0].variable, "mutexes M0 => M1 => M0");
}

TEST(a_race_outranks_an_inversion_and_heap_blocks_are_named)
{
        struct tsan_findings f;
        tsan_parse(deadlock_then_heap_race, machine_fields, &f);
        ASSERT_EQ_INT(f.reports, 2);
        ASSERT_EQ_INT(f.observed, OBSERVED_RACE);
        ASSERT_STREQ(f.report[0].kind, "lock-order-inversion (potential deadlock)");

        const char *second = strstr(deadlock_then_heap_race, "==================\n==================") + 19;
        tsan_parse(second, machine_fields, &f);
        ASSERT_STREQ(f.report[0].variable, "heap block of 24 bytes");
        ASSERT_STREQ(f.report[0].location, "/tmp/loi.c:9");
}

TEST(tsan_failing_to_start_is_noticed)
{
        struct tsan_findings f;
        tsan_parse("FATAL: ThreadSanitizer: unexpected memory mapping 0x7f00-0x7f10\n", machine_fields, &f);
        ASSERT_TRUE(f.tsan_failed);
        ASSERT_CONTAINS(f.failure, "unexpected memory mapping");
}

TEST(both_accesses_of_a_race_point_at_the_scenario)
{
        struct tsan_findings f;
        tsan_parse(unsync_report, machine_fields, &f);
        ASSERT_EQ_INT(f.report[0].accesses, 2);
        ASSERT_STREQ(f.report[0].access[0].what, "Write of size 8");
        ASSERT_STREQ(f.report[0].access[0].where, "src/kit/machine.h:49");
        ASSERT_STREQ(f.report[0].access[0].caller, "scenarios/unsync.c:13");
        ASSERT_STREQ(f.report[0].access[1].what, "Previous write of size 8");
        ASSERT_STREQ(f.report[0].access[1].caller, "scenarios/unsync.c:13");
}

TEST(every_report_is_kept_with_its_class)
{
        struct tsan_findings f;
        tsan_parse(deadlock_then_heap_race, machine_fields, &f);
        ASSERT_EQ_INT(f.kept, 2);
        ASSERT_EQ_INT(f.report[0].observed, OBSERVED_LOCK_ORDER);
        ASSERT_EQ_INT(f.report[1].observed, OBSERVED_RACE);
        ASSERT_STREQ(f.report[1].variable, "heap block of 24 bytes");
        /* The report shown for the run's verdict (a race) is the race, not the first report. */
        ASSERT_STREQ(tsan_first_of_worst(&f)->kind, "data race");
        /* An inversion's two sides are its acquisitions. */
        ASSERT_EQ_INT(f.report[0].accesses, 1);
        ASSERT_STREQ(f.report[0].access[0].what, "Mutex M1 acquired");
        ASSERT_STREQ(f.report[0].access[0].caller, "scenarios/deadlock.c:7");
}

TEST(report_kinds_are_classified)
{
        ASSERT_EQ_INT(observed_of_tsan_kind("data race"), OBSERVED_RACE);
        ASSERT_EQ_INT(observed_of_tsan_kind("heap-use-after-free"), OBSERVED_RACE);
        ASSERT_EQ_INT(observed_of_tsan_kind("lock-order-inversion (potential deadlock)"),
                      OBSERVED_LOCK_ORDER);
        ASSERT_EQ_INT(observed_of_tsan_kind("unlock of an unlocked mutex (or by a wrong thread)"),
                      OBSERVED_MUTEX_MISUSE);
        ASSERT_EQ_INT(observed_of_tsan_kind("destroy of a locked mutex"), OBSERVED_MUTEX_MISUSE);
        ASSERT_EQ_INT(observed_of_tsan_kind("thread leak"), OBSERVED_THREAD_LEAK);
        ASSERT_EQ_INT(observed_of_tsan_kind("signal-unsafe call inside of a signal"),
                      OBSERVED_SIGNAL_UNSAFE);
}

TEST(each_observation_satisfies_its_expectations_only)
{
        ASSERT_TRUE(observed_satisfies(OBSERVED_CLEAN, VERDICT_CLEAN));
        ASSERT_TRUE(observed_satisfies(OBSERVED_RACE, VERDICT_RACE));
        ASSERT_TRUE(observed_satisfies(OBSERVED_LOCK_ORDER, VERDICT_DEADLOCK));
        ASSERT_TRUE(observed_satisfies(OBSERVED_HUNG, VERDICT_DEADLOCK));
        ASSERT_TRUE(!observed_satisfies(OBSERVED_HUNG, VERDICT_RACE));
        ASSERT_TRUE(!observed_satisfies(OBSERVED_HUNG, VERDICT_CLEAN));
        ASSERT_TRUE(!observed_satisfies(OBSERVED_RACE, VERDICT_CLEAN));
        ASSERT_TRUE(!observed_satisfies(OBSERVED_LOCK_ORDER, VERDICT_RACE));
        ASSERT_TRUE(!observed_satisfies(OBSERVED_MUTEX_MISUSE, VERDICT_CLEAN));
        ASSERT_TRUE(!observed_satisfies(OBSERVED_ERROR, VERDICT_CLEAN));
        ASSERT_TRUE(!observed_satisfies(OBSERVED_ERROR, VERDICT_RACE));
        ASSERT_TRUE(!observed_satisfies(OBSERVED_ERROR, VERDICT_DEADLOCK));
        ASSERT_STREQ(observed_name(OBSERVED_LOCK_ORDER), "lock-order-inversion");
        ASSERT_STREQ(observed_name(OBSERVED_HUNG), "hung");
}

TEST(a_report_cut_off_by_a_kill_is_still_counted)
{
        struct tsan_findings f;
        char cut[sizeof(unsync_report)];
        memcpy(cut, unsync_report, sizeof(cut));
        *strstr(cut, "  Location is") = '\0';
        tsan_parse(cut, machine_fields, &f);
        ASSERT_EQ_INT(f.reports, 1);
        ASSERT_EQ_INT(f.observed, OBSERVED_RACE);
        ASSERT_STREQ(f.report[0].location, "src/kit/machine.h:49"); /* from its first frame */
}

/* A student's file built against an installed kit: the kit's header under a prefix, a ck lock
 * inlined from the system's headers, the student's file by its absolute path. */
static const char installed_kit_report[] =
        "WARNING: ThreadSanitizer: data race (pid=28063)\n"
        "  Write of size 8 at 0x5601dbf8c4c0 by thread T2:\n"
        "    #0 machine_count_shot /tmp/pfx/lib/pkgconfig/../../include/espresso-kit/kit/machine.h:75:17 (my-lab-tsan+0xd39ae)\n"
        "    #1 ck_spinlock_fas_lock /usr/include/ck_spinlock.h:40:3 (my-lab-tsan+0xd39ae)\n"
        "    #2 my_racy_barista /home/student/my-baristas.c:20:17 (my-lab-tsan+0xd3b87)\n"
        "    #3 barista_work_shift src/harness/run.c (my-lab-tsan+0xe2405)\n"
        "\n"
        "  Location is global 'espresso_machine' of size 64 at 0x5601dbf8c4c0 (my-lab-tsan+0x14a64c0)\n"
        "\n"
        "SUMMARY: ThreadSanitizer: data race /tmp/pfx/lib/pkgconfig/../../include/espresso-kit/kit/machine.h:75:17 in machine_count_shot\n";

TEST(a_scenario_built_against_the_installed_kit_is_pointed_at)
{
        struct tsan_findings f;
        tsan_parse(installed_kit_report, machine_fields, &f);
        ASSERT_EQ_INT(f.reports, 1);
        ASSERT_STREQ(f.report[0].location, "espresso-kit/kit/machine.h:75");
        ASSERT_STREQ(f.report[0].access[0].where, "espresso-kit/kit/machine.h:75");
        ASSERT_STREQ(f.report[0].caller, "/home/student/my-baristas.c:20");
        ASSERT_STREQ(f.report[0].access[0].caller, "/home/student/my-baristas.c:20");
}

/* Two baristas each holding a lock, but not the same one. */
static const char different_locks_report[] =
        "WARNING: ThreadSanitizer: data race (pid=1)\n"
        "  Write of size 8 at 0x5601dbf8c4c0 by thread T2 (mutexes: write M0):\n"
        "    #0 machine_count_shot src/kit/machine.h:75:17 (lab+0x1)\n"
        "    #1 my_barista /home/student/mine.c:12:9 (lab+0x2)\n"
        "\n"
        "  Previous write of size 8 at 0x5601dbf8c4c0 by main thread (mutexes: write M1, read M2):\n"
        "    #0 machine_count_shot src/kit/machine.h:75:17 (lab+0x1)\n"
        "    #1 my_barista /home/student/mine.c:12:9 (lab+0x2)\n"
        "\n"
        "SUMMARY: ThreadSanitizer: data race src/kit/machine.h:75:17 in machine_count_shot\n";

TEST(each_access_keeps_its_thread_and_the_mutexes_it_held)
{
        struct tsan_findings f;
        tsan_parse(different_locks_report, machine_fields, &f);
        ASSERT_EQ_INT(f.report[0].accesses, 2);
        ASSERT_STREQ(f.report[0].access[0].what, "Write of size 8");
        ASSERT_STREQ(f.report[0].access[0].thread, "T2");
        ASSERT_STREQ(f.report[0].access[0].mutexes, "write M0");
        ASSERT_STREQ(f.report[0].access[1].thread, "main thread");
        ASSERT_STREQ(f.report[0].access[1].mutexes, "write M1, read M2");
        tsan_parse(unsync_report, machine_fields, &f);
        ASSERT_STREQ(f.report[0].access[0].thread, "T2");
        ASSERT_STREQ(f.report[0].access[0].mutexes, "");
}

/* A student's file, compiled in its own directory: its frames have no folder. */
static const char bare_file_report[] =
        "==================\n"
        "WARNING: ThreadSanitizer: data race (pid=4884)\n"
        "  Write of size 8 at 0x5600b36da540 by thread T2:\n"
        "    #0 tally_barista tally-outside-lock.c:20:29 (lab-tsan+0xd4902) (BuildId: 1026)\n"
        "    #1 barista_work_shift src/harness/run.c (lab-tsan+0xe4745) (BuildId: 1026)\n"
        "\n"
        "  Previous write of size 8 at 0x5600b36da540 by thread T1:\n"
        "    #0 tally_barista tally-outside-lock.c:20:29 (lab-tsan+0xd4902) (BuildId: 1026)\n"
        "    #1 barista_work_shift src/harness/run.c (lab-tsan+0xe4745) (BuildId: 1026)\n"
        "\n"
        "  Location is global 'drinks_today' of size 8 at 0x5600b36da540 (lab-tsan+0x14b4540)\n"
        "\n"
        "SUMMARY: ThreadSanitizer: data race tally-outside-lock.c:20:29 in tally_barista\n"
        "==================\n";

TEST(a_file_without_a_folder_is_the_callers)
{
        struct tsan_findings f;
        tsan_parse(bare_file_report, machine_fields, &f);
        ASSERT_EQ_INT(f.report[0].accesses, 2);
        ASSERT_STREQ(f.report[0].access[0].where, "tally-outside-lock.c:20");
        ASSERT_STREQ(f.report[0].access[0].caller, "tally-outside-lock.c:20");
        ASSERT_STREQ(f.report[0].access[1].caller, "tally-outside-lock.c:20");
        ASSERT_STREQ(f.report[0].caller, "tally-outside-lock.c:20");
        ASSERT_STREQ(f.report[0].variable, "drinks_today");
}

CHECK_MAIN(TEST_ENTRY(clean_output_is_clean), TEST_ENTRY(data_race_on_the_shot_counter),
           TEST_ENTRY(field_is_found_by_offset_into_the_machine),
           TEST_ENTRY(lock_order_inversion_has_a_real_line),
           TEST_ENTRY(a_race_outranks_an_inversion_and_heap_blocks_are_named),
           TEST_ENTRY(tsan_failing_to_start_is_noticed),
           TEST_ENTRY(both_accesses_of_a_race_point_at_the_scenario),
           TEST_ENTRY(every_report_is_kept_with_its_class), TEST_ENTRY(report_kinds_are_classified),
           TEST_ENTRY(each_observation_satisfies_its_expectations_only),
           TEST_ENTRY(a_report_cut_off_by_a_kill_is_still_counted),
           TEST_ENTRY(a_scenario_built_against_the_installed_kit_is_pointed_at),
           TEST_ENTRY(each_access_keeps_its_thread_and_the_mutexes_it_held),
           TEST_ENTRY(a_file_without_a_folder_is_the_callers))
