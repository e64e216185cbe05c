/* The CPU's spin-wait hint, cpu_relax(), for a scenario's hand-written spin loops. */
#ifndef ESPRESSO_KIT_CPU_H
#define ESPRESSO_KIT_CPU_H

#include "../measure/cpu.h"

#endif
