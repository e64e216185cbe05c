#include "check.h"

int check_failed;

int check_run(const struct test_entry *tests, size_t n)
{
        size_t failures = 0;

        for (size_t i = 0; i < n; i++) {
                check_failed = 0;
                tests[i].body();
                printf("%s %s\n", check_failed ? "FAIL" : "ok  ", tests[i].name);
                failures += check_failed != 0;
        }
        printf("%zu of %zu passed\n", n - failures, n);
        return failures ? 1 : 0;
}
