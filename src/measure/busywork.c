#include "busywork.h"

#include "clock.h"

#include <math.h>
#include <stdbool.h>

static double iterations_per_ns;
static bool calibrated;

void busywork_calibrate(void)
{
        if (calibrated)
                return;
        /* Best of several rounds: a preempted round only ever looks slower, never faster. Short
         * rounds (a few hundred us), so that on a busy machine some fit between preemptions: with
         * 5 rounds of 2,000,000 and more threads than CPUs, shots of 200 us were once seen to
         * take 100 us (a calibration twice too slow). */
        const uint64_t iterations = 500 * 1000;
        uint64_t best_ns = UINT64_MAX;

        busywork_spin(iterations); /* warm up */
        for (int round = 0; round < 12; round++) {
                uint64_t start = clock_now_ns();
                busywork_spin(iterations);
                uint64_t took = clock_now_ns() - start;
                if (took < best_ns)
                        best_ns = took;
        }
        iterations_per_ns = (double)iterations / (double)(best_ns ? best_ns : 1);
        calibrated = true;
}

uint64_t busywork_iterations_for_ns(uint64_t ns)
{
        busywork_calibrate();
        if (ns == 0)
                return 0;
        uint64_t n = (uint64_t)llround((double)ns * iterations_per_ns);
        return n ? n : 1;
}

double busywork_iterations_per_us(void)
{
        busywork_calibrate();
        return iterations_per_ns * 1000.0;
}
