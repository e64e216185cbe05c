/* What a scenario tells about itself and its run: verdict names, the notes its setup leaves. */
#include "scenario.h"

#include <string.h>

struct scenario_notes scenario_notes;

void scenario_note_queue_capacity(uint64_t orders)
{
        scenario_notes.queue_capacity = orders;
}

void scenario_note_drink_ns(uint64_t ns)
{
        scenario_notes.drink_ns = ns;
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

static const char *const family_names[FAMILY_COUNT] = {
        [FAMILY_NONE] = "none",   [FAMILY_ATOMIC] = "atomic", [FAMILY_LOCK] = "lock",
        [FAMILY_QUEUE] = "queue", [FAMILY_MENU] = "menu",     [FAMILY_SHOP] = "shop",
        [FAMILY_DEADLOCK] = "deadlock",
};

const char *family_name(enum family f)
{
        return (unsigned)f < FAMILY_COUNT ? family_names[f] : "?";
}

int family_named(const char *name)
{
        for (int f = 0; f < FAMILY_COUNT; f++)
                if (strcmp(family_names[f], name) == 0)
                        return f;
        return -1;
}
