/* The CPU's spin-wait hint, cpu_relax(), for a scenario's hand-written spin loops. */
#ifndef ESPRESSO_KIT_CPU_H
#define ESPRESSO_KIT_CPU_H

#include "../measure/cpu.h"

/* In a controlled run a spin-wait is a scheduling point: the barista lets the others go first
 * (in a scenario's code only, as variant_controlled.h maps). */
#if defined(ESPRESSO_CONTROLLED_BUILD) && !defined(ESPRESSO_LAB_SOURCE)
#include "variant_controlled.h"
#define cpu_relax() ((void)controlled_yield(__LINE__))
#endif

#endif
