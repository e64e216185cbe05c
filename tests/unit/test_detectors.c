/* detectors' scoring, on a hand-made confusion matrix, and how it reads what a subject says of
 * itself (its "expect:" word and the lines it marks "the bug:"). */
#include "check.h"
#include "detectors/detectors.h"
#include "detectors/scores.h"
#include "tsan/valgrind_report.h"

#include <stdlib.h>
#include <unistd.h>

static struct detector_cell judged(enum observed observed, bool at_bug)
{
        return (struct detector_cell){ .made = true, .observed = observed, .at_bug = at_bug };
}

TEST(outcomes_follow_the_verdict_vocabulary)
{
        struct detector_cell missing = { .made = false };
        struct detector_cell race_at_bug = judged(OBSERVED_RACE, true);
        struct detector_cell race_elsewhere = judged(OBSERVED_RACE, false);
        struct detector_cell clean = judged(OBSERVED_CLEAN, false);
        struct detector_cell hung = judged(OBSERVED_HUNG, false);
        struct detector_cell inversion = judged(OBSERVED_LOCK_ORDER, true);
        struct detector_cell error = judged(OBSERVED_ERROR, false);

        ASSERT_EQ_INT(detector_outcome(VERDICT_RACE, &missing), OUTCOME_NOT_RUN);
        ASSERT_EQ_INT(detector_outcome(VERDICT_RACE, &error), OUTCOME_NO_VERDICT);
        ASSERT_EQ_INT(detector_outcome(VERDICT_RACE, &race_at_bug), OUTCOME_TP);
        /* A race reported, but not at the bug (the harness's own words, say): the bug was missed. */
        ASSERT_EQ_INT(detector_outcome(VERDICT_RACE, &race_elsewhere), OUTCOME_FN);
        ASSERT_EQ_INT(detector_outcome(VERDICT_RACE, &clean), OUTCOME_FN);
        ASSERT_EQ_INT(detector_outcome(VERDICT_RACE, &hung), OUTCOME_FN);
        ASSERT_EQ_INT(detector_outcome(VERDICT_DEADLOCK, &hung), OUTCOME_TP);
        ASSERT_EQ_INT(detector_outcome(VERDICT_DEADLOCK, &inversion), OUTCOME_TP);
        ASSERT_EQ_INT(detector_outcome(VERDICT_DEADLOCK, &clean), OUTCOME_FN);
        ASSERT_EQ_INT(detector_outcome(VERDICT_CLEAN, &clean), OUTCOME_TN);
        ASSERT_EQ_INT(detector_outcome(VERDICT_CLEAN, &race_elsewhere), OUTCOME_FP);
        ASSERT_EQ_INT(detector_outcome(VERDICT_CLEAN, &hung), OUTCOME_FP);
}

TEST(scores_from_a_hand_made_matrix)
{
        /* 8 bugs, 6 found; 10 correct subjects, 3 reported; 2 runs without a verdict. */
        struct confusion c = { .tp = 6, .fn = 2, .fp = 3, .tn = 7, .no_verdict = 2 };
        struct scores s = scores_of(&c);

        ASSERT_NEAR(s.precision, 6.0 / 9.0, 1e-12);
        ASSERT_NEAR(s.recall, 6.0 / 8.0, 1e-12);
        ASSERT_NEAR(s.f1, 2 * (6.0 / 9) * (6.0 / 8) / (6.0 / 9 + 6.0 / 8), 1e-12);
        ASSERT_NEAR(s.accuracy, 13.0 / 18.0, 1e-12);
        ASSERT_NEAR(s.verdict_rate, 18.0 / 20.0, 1e-12);
}

TEST(scores_that_divide_by_zero_are_undefined)
{
        struct confusion only_correct = { .tn = 4 };
        struct scores s = scores_of(&only_correct);
        ASSERT_TRUE(isnan(s.precision));
        ASSERT_TRUE(isnan(s.recall));
        ASSERT_TRUE(isnan(s.f1));
        ASSERT_NEAR(s.accuracy, 1.0, 1e-12);

        struct confusion all_missed = { .fn = 3 };
        s = scores_of(&all_missed);
        ASSERT_NEAR(s.recall, 0.0, 1e-12);
        ASSERT_NEAR(s.f1, 0.0, 1e-12);
        ASSERT_TRUE(isnan(s.precision));
}

TEST(the_table_adds_up_per_group_and_overall)
{
        static struct subject_result r[3];
        memset(r, 0, sizeof(r));
        snprintf(r[0].subject.group, sizeof(r[0].subject.group), "lock");
        snprintf(r[1].subject.group, sizeof(r[1].subject.group), "lock");
        snprintf(r[2].subject.group, sizeof(r[2].subject.group), "none");
        r[0].subject.expect = VERDICT_CLEAN;
        r[1].subject.expect = VERDICT_RACE;
        r[2].subject.expect = VERDICT_RACE;
        r[0].cell[TOLD][DETECTOR_HELGRIND] = judged(OBSERVED_CLEAN, false);
        r[1].cell[TOLD][DETECTOR_HELGRIND] = judged(OBSERVED_RACE, true);
        r[2].cell[TOLD][DETECTOR_HELGRIND] = judged(OBSERVED_CLEAN, false);
        r[0].cell[NOT_TOLD][DETECTOR_HELGRIND] = judged(OBSERVED_RACE, false);
        for (int i = 0; i < 3; i++)
                for (int t = 0; t < TELLINGS; t++)
                        for (int d = 0; d < DETECTOR_COUNT; d++) {
                                r[i].cell[t][d].slowdown = 10.0 * (i + 1);
                                r[i].cell[t][d].memory_ratio = NAN;
                        }
        struct score_table *t = calloc(1, sizeof(*t));
        score_table_build(r, 3, t);
        ASSERT_EQ_U64(t->groups, 3);
        ASSERT_STREQ(t->group[0], "lock");
        ASSERT_STREQ(t->group[2], SCORE_OVERALL);
        const struct confusion *lock = &t->matrix[TOLD][DETECTOR_HELGRIND][0];
        const struct confusion *all = &t->matrix[TOLD][DETECTOR_HELGRIND][2];
        ASSERT_EQ_U64(lock->tn, 1);
        ASSERT_EQ_U64(lock->tp, 1);
        ASSERT_EQ_U64(all->fn, 1);
        ASSERT_EQ_U64(all->tp + all->tn + all->fn + all->fp, 3);
        ASSERT_EQ_U64(t->matrix[NOT_TOLD][DETECTOR_HELGRIND][2].fp, 1);
        ASSERT_TRUE(right_only_when_told(&r[0], DETECTOR_HELGRIND));
        ASSERT_TRUE(!right_only_when_told(&r[1], DETECTOR_HELGRIND));
        free(t);
}

TEST(a_source_says_what_it_is_and_where_its_bug_is)
{
        char path[] = "/tmp/espresso-test-subject.XXXXXX";
        int fd = mkstemp(path);
        ASSERT_TRUE(fd >= 0);
        FILE *f = fdopen(fd, "w");
        fputs("/*\n"                                             /* 1 */
              " * check-expect: verdict=failed hint=none\n"      /* 2: not ours */
              " * expect: race\n"                                /* 3 */
              " * and the bug in prose does not count\n"         /* 4 */
              " */\n"                                            /* 5 */
              "int shots;\n"                                     /* 6 */
              "void f(void)\n"                                   /* 7 */
              "{\n"                                              /* 8 */
              "        shots++; /* the bug: no lock */\n"        /* 9 */
              "        /* The bug: the next line. */\n"          /* 10 */
              "\n"                                               /* 11 */
              "        shots--;\n"                               /* 12 */
              "        shots = 0; // the bug: again\n"           /* 13 */
              "}\n", f);
        fclose(f);
        struct subject s;
        memset(&s, 0, sizeof(s));
        int expect = subject_read_source(&s, path);
        unlink(path);
        ASSERT_EQ_INT(expect, VERDICT_RACE);
        ASSERT_EQ_U64(s.bug_line_count, 3);
        ASSERT_EQ_U64(s.bug_lines[0], 9);
        ASSERT_EQ_U64(s.bug_lines[1], 12);
        ASSERT_EQ_U64(s.bug_lines[2], 13);
        const char *base = strrchr(path, '/') + 1;
        char where[128];
        snprintf(where, sizeof(where), "%s:12", base);
        ASSERT_TRUE(subject_line_is_bug(&s, where));
        snprintf(where, sizeof(where), "dir/%s:9", base);
        ASSERT_TRUE(subject_line_is_bug(&s, where));
        snprintf(where, sizeof(where), "%s:10", base);
        ASSERT_TRUE(!subject_line_is_bug(&s, where));
        snprintf(where, sizeof(where), "x%s:9", base); /* another file that ends the same */
        ASSERT_TRUE(!subject_line_is_bug(&s, where));
        ASSERT_TRUE(!subject_line_is_bug(&s, "src/kit/machine.h:9"));
}

TEST(a_source_that_marks_nothing_counts_any_line_of_its_own)
{
        struct subject s;
        memset(&s, 0, sizeof(s));
        ASSERT_TRUE(subject_line_is_bug(&s, "no-lock.c:12"));
        ASSERT_TRUE(subject_line_is_bug(&s, "scenarios/unsync.c:16"));
        ASSERT_TRUE(!subject_line_is_bug(&s, "src/kit/machine.h:75"));
        ASSERT_TRUE(!subject_line_is_bug(&s, ""));
}

/* Valgrind 3.19's own words, as Helgrind and DRD printed them here for
 * tests/detectors/programs/racy-counter.c and opposite-order.c (shortened: two frames a stack). */
static const char helgrind_race[] =
        "==4301== Helgrind, a thread error detector\n"
        "==4301== ---Thread-Announcement------------------------------------------\n"
        "==4301== Thread #3 was created\n"
        "==4301==    at 0x496EB3F: clone (misc/../sysdeps/unix/sysv/linux/x86_64/clone.S:76)\n"
        "==4301==    by 0x10918B: main (/work/p/racy-counter.c:25)\n"
        "==4301== ----------------------------------------------------------------\n"
        "==4301== \n"
        "==4301== Possible data race during read of size 8 at 0x10C030 by thread #3\n"
        "==4301== Locks held: none\n"
        "==4301==    at 0x1091D0: add (/work/p/racy-counter.c:17)\n"
        "==4301==    by 0x484C7D6: ??? (in /usr/libexec/valgrind/vgpreload_helgrind-amd64-linux.so)\n"
        "==4301== \n"
        "==4301== This conflicts with a previous write of size 8 by thread #2\n"
        "==4301== Locks held: none\n"
        "==4301==    at 0x1091D0: add (/work/p/racy-counter.c:17)\n"
        "==4301==    by 0x48EF1F4: start_thread (nptl/./nptl/pthread_create.c:442)\n"
        "==4301==  Address 0x10c030 is 0 bytes inside data symbol \"count\"\n"
        "==4301== \n"
        "==4301== ----------------------------------------------------------------\n"
        "20000 of 20000\n"
        "==4301== ERROR SUMMARY: 2 errors from 2 contexts (suppressed: 16 from 16)\n";

static const char drd_race[] =
        "==4283== drd, a thread error detector\n"
        "==4283== Thread 3:\n"
        "==4283== Conflicting load by thread 3 at 0x0010c030 size 8\n"
        "==4283==    at 0x1091D0: add (/work/p/racy-counter.c:17)\n"
        "==4283==    by 0x484DD34: ??? (in /usr/libexec/valgrind/vgpreload_drd-amd64-linux.so)\n"
        "==4283== Allocation context: BSS section of /tmp/rc\n"
        "==4283== Other segment start (thread 2)\n"
        "==4283==    (thread finished, call stack no longer available)\n"
        "==4283== \n"
        "==4283== Conflicting store by thread 3 at 0x0010c030 size 8\n"
        "==4283==    at 0x1091D0: add (/work/p/racy-counter.c:17)\n"
        "==4283== Other segment end (thread 2)\n"
        "==4283== \n"
        "==4283== ERROR SUMMARY: 2 errors from 2 contexts (suppressed: 10 from 6)\n";

static const char helgrind_lock_order[] =
        "==3803== Thread #3: lock order \"0x10C038 before 0x10C060\" violated\n"
        "==3803== \n"
        "==3803== Observed (incorrect) order is: acquisition of lock at 0x10C060\n"
        "==3803==    at 0x484976E: ??? (in /usr/libexec/valgrind/vgpreload_helgrind-amd64-linux.so)\n"
        "==3803==    by 0x109212: machine_first (/work/p/opposite-order.c:24)\n"
        "==3803== \n"
        "==3803==  followed by a later acquisition of lock at 0x10C038\n"
        "==3803==    at 0x484976E: ??? (in /usr/libexec/valgrind/vgpreload_helgrind-amd64-linux.so)\n"
        "==3803==    by 0x109221: machine_first (/work/p/opposite-order.c:25)\n"
        "==3803== \n"
        "==3803== Required order was established by acquisition of lock at 0x10C038\n"
        "==3803==    by 0x1091D2: grinder_first (/work/p/opposite-order.c:14)\n"
        "==3803== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)\n";

TEST(helgrind_race_read_with_its_lines_and_variable)
{
        static struct tsan_findings f;
        valgrind_parse(helgrind_race, NULL, &f);
        ASSERT_EQ_INT(f.observed, OBSERVED_RACE);
        ASSERT_EQ_U64(f.reports, 2); /* from the ERROR SUMMARY: the second heading was cut */
        ASSERT_EQ_U64(f.kept, 1);
        const struct tsan_report *r = &f.report[0];
        ASSERT_STREQ(r->kind, "data race");
        ASSERT_STREQ(r->variable, "count");
        ASSERT_EQ_U64(r->accesses, 2);
        ASSERT_STREQ(r->access[0].where, "/work/p/racy-counter.c:17");
        ASSERT_STREQ(r->access[0].function, "add");
        ASSERT_STREQ(r->access[0].thread, "#3");
        ASSERT_STREQ(r->access[1].where, "/work/p/racy-counter.c:17");
        ASSERT_STREQ(r->access[1].thread, "#2");
        ASSERT_TRUE(!f.tsan_failed);
}

TEST(drd_race_read_without_the_other_segments_frames)
{
        static struct tsan_findings f;
        valgrind_parse(drd_race, NULL, &f);
        ASSERT_EQ_INT(f.observed, OBSERVED_RACE);
        ASSERT_EQ_U64(f.reports, 2);
        ASSERT_EQ_U64(f.kept, 2);
        ASSERT_STREQ(f.report[0].access[0].where, "/work/p/racy-counter.c:17");
        ASSERT_STREQ(f.report[0].access[0].thread, "3");
        ASSERT_EQ_U64(f.report[0].accesses, 1);
}

TEST(helgrind_lock_order_keeps_both_acquisitions)
{
        static struct tsan_findings f;
        valgrind_parse(helgrind_lock_order, NULL, &f);
        ASSERT_EQ_INT(f.observed, OBSERVED_LOCK_ORDER);
        ASSERT_EQ_U64(f.reports, 1);
        const struct tsan_report *r = &f.report[0];
        ASSERT_EQ_U64(r->accesses, 2);
        ASSERT_STREQ(r->access[0].where, "/work/p/opposite-order.c:24");
        ASSERT_STREQ(r->access[1].where, "/work/p/opposite-order.c:25");
        /* The required order's acquisition is the other thread's history, not this report's. */
        struct subject s;
        memset(&s, 0, sizeof(s));
        subject_read_source(&s, "/nonexistent");
        snprintf(s.source_base, sizeof(s.source_base), "opposite-order.c");
        s.bug_lines[s.bug_line_count++] = 25;
        ASSERT_TRUE(subject_line_is_bug(&s, r->access[1].where));
        ASSERT_TRUE(!subject_line_is_bug(&s, r->access[0].where));
}

TEST(valgrind_that_cannot_run_and_a_clean_run)
{
        static struct tsan_findings f;
        valgrind_parse("valgrind: ./nope: No such file or directory\n", NULL, &f);
        ASSERT_TRUE(f.tsan_failed);
        ASSERT_TRUE(strstr(f.failure, "No such file") != NULL);
        valgrind_parse("==7== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 3003 from 6)\n", NULL, &f);
        ASSERT_TRUE(!f.tsan_failed);
        ASSERT_EQ_INT(f.observed, OBSERVED_CLEAN);
        ASSERT_EQ_U64(f.reports, 0);
        /* An error this reader has no heading for still counts, as a misuse. */
        valgrind_parse("==7== Something new happened\n==7== ERROR SUMMARY: 1 errors from 1 contexts\n",
                       NULL, &f);
        ASSERT_EQ_U64(f.reports, 1);
        ASSERT_EQ_INT(f.observed, OBSERVED_MUTEX_MISUSE);
}

CHECK_MAIN(TEST_ENTRY(outcomes_follow_the_verdict_vocabulary), TEST_ENTRY(scores_from_a_hand_made_matrix),
           TEST_ENTRY(scores_that_divide_by_zero_are_undefined),
           TEST_ENTRY(the_table_adds_up_per_group_and_overall),
           TEST_ENTRY(a_source_says_what_it_is_and_where_its_bug_is),
           TEST_ENTRY(a_source_that_marks_nothing_counts_any_line_of_its_own),
           TEST_ENTRY(helgrind_race_read_with_its_lines_and_variable),
           TEST_ENTRY(drd_race_read_without_the_other_segments_frames),
           TEST_ENTRY(helgrind_lock_order_keeps_both_acquisitions),
           TEST_ENTRY(valgrind_that_cannot_run_and_a_clean_run))
