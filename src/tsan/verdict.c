#include "verdict.h"

#include <string.h>

/* The one table: each observation, its name, and the expectations it satisfies. */
static const struct {
        const char *name;
        bool satisfies_clean, satisfies_race, satisfies_deadlock;
} observations[OBSERVED_KINDS] = {
        [OBSERVED_ERROR] = { "error", false, false, false },
        /* A run that never ends is a deadlock, or a barista spinning for ever. */
        [OBSERVED_HUNG] = { "hung", false, false, true },
        [OBSERVED_RACE] = { "race", false, true, false },
        /* An inversion is reported whether or not this run deadlocked. */
        [OBSERVED_LOCK_ORDER] = { "lock-order-inversion", false, false, true },
        [OBSERVED_MUTEX_MISUSE] = { "mutex-misuse", false, false, false },
        [OBSERVED_THREAD_LEAK] = { "thread-leak", false, false, false },
        [OBSERVED_SIGNAL_UNSAFE] = { "signal-unsafe", false, false, false },
        [OBSERVED_CLEAN] = { "clean", true, false, false },
};

const char *observed_name(enum observed o)
{
        return o < OBSERVED_KINDS ? observations[o].name : "?";
}

bool observed_satisfies(enum observed o, enum verdict expect)
{
        if (o >= OBSERVED_KINDS)
                return false;
        switch (expect) {
        case VERDICT_CLEAN:
                return observations[o].satisfies_clean;
        case VERDICT_RACE:
                return observations[o].satisfies_race;
        case VERDICT_DEADLOCK:
                return observations[o].satisfies_deadlock;
        }
        return false;
}

static bool starts_with(const char *s, const char *prefix)
{
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

enum observed observed_of_tsan_kind(const char *kind)
{
        if (starts_with(kind, "lock-order-inversion"))
                return OBSERVED_LOCK_ORDER;
        if (starts_with(kind, "thread leak"))
                return OBSERVED_THREAD_LEAK;
        if (strstr(kind, "signal"))
                return OBSERVED_SIGNAL_UNSAFE; /* "signal-unsafe call inside of a signal", ... */
        if (strstr(kind, "mutex"))
                return OBSERVED_MUTEX_MISUSE; /* "unlock of an unlocked mutex", "destroy of a
                                               * locked mutex", "double lock of a mutex", ... */
        /* "data race", "heap-use-after-free", "data race on vptr": accesses unordered. */
        return OBSERVED_RACE;
}
