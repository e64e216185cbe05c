/* The scenarios linked into this lab: the linker set SCENARIO() fills, walked and sorted. */
#include "registry.h"

#include <stdio.h>
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
        return strcmp((*x)->name ? (*x)->name : "", (*y)->name ? (*y)->name : "");
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
                if (sorted[i]->name && strcmp(sorted[i]->name, name) == 0)
                        return sorted[i];
        return NULL;
}


static bool name_usable(const char *name)
{
        return name && *name && name[0] != '-' && !strpbrk(name, " \t\n,");
}

/* The first problem of scenario s (the index-th in name order), or false. */
static bool scenario_problem(const struct scenario *s, size_t index, char *why, size_t why_size)
{
        if (!name_usable(s->name))
                snprintf(why, why_size, "a scenario is named '%s': a name is one word a command "
                         "line can give (no spaces, commas, or leading '-')", s->name ? s->name : "");
        else if (!s->barista)
                snprintf(why, why_size, "scenario '%s' has no .barista", s->name);
        else if (!s->summary || !*s->summary)
                snprintf(why, why_size, "scenario '%s' has no .summary", s->name);
        else if (!s->lesson || !*s->lesson)
                snprintf(why, why_size, "scenario '%s' has no .lesson (explain shows it)", s->name);
        else if ((unsigned)s->family >= FAMILY_COUNT)
                snprintf(why, why_size, "scenario '%s' has no family %d", s->name, (int)s->family);
        else if (index > 0 && strcmp(sorted[index - 1]->name, s->name) == 0)
                snprintf(why, why_size, "two scenarios are named '%s'", s->name);
        else
                return false;
        return true;
}

bool scenarios_well_formed(char *why, size_t why_size)
{
        scenarios_load();
        for (size_t i = 0; i < count; i++)
                if (scenario_problem(sorted[i], i, why, why_size))
                        return false;
        return true;
}
