/*
 * What it costs to hand a cache line from one CPU to another. Every handover of a contended lock
 * moves the lock's cache line (and the machine's) between cores, so this sets the floor of what
 * contention costs, and when it changes, contended figures change with it. In a virtual machine
 * the host may move the virtual CPUs closer together or further apart while the lab runs (seen
 * on the lab VM: 70 ns one minute, 500 ns the next), which no care in measuring can undo; it can
 * only be measured and reported next to the figures.
 */
#ifndef ESPRESSO_CORES_H
#define ESPRESSO_CORES_H

/* ns for one round trip of a cache line between the first two CPUs this process may use: the
 * fastest of a few rounds of ping-pong, a few ms in all. NAN with fewer than two CPUs, or when the
 * CPUs were too busy to finish within a second. */
double cores_round_trip_ns(void);

#endif
