/*
 * A minimal test framework: TEST(name) bodies listed in one table per program, typed assertions
 * that print both sides. A failed assertion ends that test and marks the program failed.
 */
#ifndef ESPRESSO_CHECK_H
#define ESPRESSO_CHECK_H

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

extern int check_failed; /* set by a failed assertion in the current test */

#define TEST(name) static void test_##name(void)
#define TEST_ENTRY(name) { #name, test_##name }

struct test_entry {
        const char *name;
        void (*body)(void);
};

#define CHECK_FAIL(...)                                                                     \
        do {                                                                                \
                fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                           \
                fprintf(stderr, __VA_ARGS__);                                               \
                fputc('\n', stderr);                                                        \
                check_failed = 1;                                                           \
                return;                                                                     \
        } while (0)

#define ASSERT_TRUE(cond)                                                                   \
        do {                                                                                \
                if (!(cond))                                                                \
                        CHECK_FAIL("expected %s", #cond);                                   \
        } while (0)

#define ASSERT_EQ_U64(a, b)                                                                 \
        do {                                                                                \
                uint64_t a_ = (a), b_ = (b);                                                \
                if (a_ != b_)                                                               \
                        CHECK_FAIL("%s == %s: %" PRIu64 " != %" PRIu64, #a, #b, a_, b_);    \
        } while (0)

#define ASSERT_EQ_INT(a, b)                                                                 \
        do {                                                                                \
                long long a_ = (a), b_ = (b);                                               \
                if (a_ != b_)                                                               \
                        CHECK_FAIL("%s == %s: %lld != %lld", #a, #b, a_, b_);               \
        } while (0)

#define ASSERT_NEAR(a, b, tolerance)                                                        \
        do {                                                                                \
                double a_ = (a), b_ = (b);                                                  \
                if (!(fabs(a_ - b_) <= (tolerance)))                                        \
                        CHECK_FAIL("%s ~= %s: %.6g vs %.6g (tolerance %.3g)", #a, #b, a_, b_, \
                                   (double)(tolerance));                                    \
        } while (0)

#define ASSERT_STREQ(a, b)                                                                  \
        do {                                                                                \
                const char *a_ = (a), *b_ = (b);                                            \
                if (strcmp(a_, b_) != 0)                                                    \
                        CHECK_FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b, a_, b_);           \
        } while (0)

#define ASSERT_CONTAINS(haystack, needle)                                                   \
        do {                                                                                \
                const char *h_ = (haystack), *n_ = (needle);                                \
                if (!strstr(h_, n_))                                                        \
                        CHECK_FAIL("%s contains \"%s\": got \"%s\"", #haystack, n_, h_);    \
        } while (0)

/* Runs every test in the table; the program's exit status is 0 only if all passed. */
int check_run(const struct test_entry *tests, size_t n);

#define CHECK_MAIN(...)                                                                     \
        int main(void)                                                                      \
        {                                                                                   \
                static const struct test_entry tests[] = { __VA_ARGS__ };                   \
                return check_run(tests, sizeof(tests) / sizeof(tests[0]));                  \
        }

#endif
