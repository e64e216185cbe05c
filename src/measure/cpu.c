#include "cpu.h"

#include <pthread.h>
#include <sched.h>

unsigned cpus_usable(void)
{
        cpu_set_t allowed;
        int count;

        if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0 || (count = CPU_COUNT(&allowed)) < 1)
                return 1;
        return (unsigned)count;
}

void pin_to_cpu(uint32_t index)
{
        cpu_set_t allowed, one;
        int count;

        if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0 || (count = CPU_COUNT(&allowed)) == 0)
                return;
        int wanted = (int)(index % (uint32_t)count);
        for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
                if (!CPU_ISSET(cpu, &allowed) || wanted-- > 0)
                        continue;
                CPU_ZERO(&one);
                CPU_SET(cpu, &one);
                pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
                return;
        }
}
