#include "machine.h"


struct espresso_machine espresso_machine;

void machine_reset(void)
{
        espresso_machine.shots = 0;
        espresso_machine.last_barista = 0;
        atomic_store(&espresso_machine.in_use_by, 0);
}

const char *machine_field_at(size_t offset)
{
        static const struct {
                size_t offset, size;
                const char *name;
        } fields[] = {
                { offsetof(struct espresso_machine, shots),
                  sizeof(espresso_machine.shots), "espresso_machine.shots" },
                { offsetof(struct espresso_machine, last_barista),
                  sizeof(espresso_machine.last_barista), "espresso_machine.last_barista" },
                { offsetof(struct espresso_machine, in_use_by),
                  sizeof(espresso_machine.in_use_by), "espresso_machine.in_use_by" },
        };

        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
                if (offset >= fields[i].offset && offset < fields[i].offset + fields[i].size)
                        return fields[i].name;
        return offset < sizeof(struct espresso_machine) ? "espresso_machine" : NULL;
}
