#include "scenario.h"

#include <stdlib.h>
#include <string.h>

/* Bounds of the linker set, provided by the linker for any section named like an identifier. */
/* Weak, so programs without scenarios (the unit tests) still link, with an empty set. */
extern const struct scenario *const __start_espresso_scenarios[] __attribute__((weak));
extern const struct scenario *const __stop_espresso_scenarios[] __attribute__((weak));

static const struct scenario **sorted;
static size_t count;

static int by_name(const void *a, const void *b)
{
        const struct scenario *const *x = a, *const *y = b;
        return strcmp((*x)->name, (*y)->name);
}

static void scenarios_load(void)
{
        if (sorted)
                return;
        count = (size_t)(__stop_espresso_scenarios - __start_espresso_scenarios);
        sorted = malloc((count ? count : 1) * sizeof(*sorted));
        if (!sorted)
                abort();
        memcpy(sorted, __start_espresso_scenarios, count * sizeof(*sorted));
        qsort(sorted, count, sizeof(*sorted), by_name);
}

size_t scenario_count(void)
{
        scenarios_load();
        return count;
}

const struct scenario *scenario_at(size_t index)
{
        scenarios_load();
        return index < count ? sorted[index] : NULL;
}

const struct scenario *scenario_find(const char *name)
{
        scenarios_load();
        for (size_t i = 0; i < count; i++)
                if (strcmp(sorted[i]->name, name) == 0)
                        return sorted[i];
        return NULL;
}

const char *verdict_name(enum verdict v)
{
        switch (v) {
        case VERDICT_CLEAN:
                return "clean";
        case VERDICT_RACE:
                return "race";
        case VERDICT_DEADLOCK:
                return "deadlock";
        }
        return "?";
}
