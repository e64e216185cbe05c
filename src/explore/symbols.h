/*
 * The name of a static object at an address of this program ("machine_lock", "grinder"), from
 * the program's own symbol table, for the steps of a trace: a lock is named as the scenario
 * named it, even where the call that took it passed it through a parameter.
 */
#ifndef ESPRESSO_SYMBOLS_H
#define ESPRESSO_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The object's name into out ("espresso_machine", "nodes+64"): true, or false when this program
 * has no symbol there (heap memory, a stripped binary). */
bool symbol_name_at(uintptr_t address, char *out, size_t size);

#endif
