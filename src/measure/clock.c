#include "clock.h"

#include <stdbool.h>

static double cycles_per_ns = 1.0;
static bool calibrated;

void clock_calibrate(void)
{
        if (calibrated)
                return;
        /* Long enough that the two clock reads at each end (tens of ns) are noise. */
        const uint64_t window_ns = 20 * 1000 * 1000;
        uint64_t ns0 = clock_now_ns(), c0 = clock_cycles(), ns1, c1;

        do {
                ns1 = clock_now_ns();
                c1 = clock_cycles();
        } while (ns1 - ns0 < window_ns);
        cycles_per_ns = (double)(c1 - c0) / (double)(ns1 - ns0);
        calibrated = true;
}

double clock_cycles_per_ns(void)
{
        return cycles_per_ns;
}
