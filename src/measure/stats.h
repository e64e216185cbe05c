/*
 * Statistics that are safe to keep per barista and merge after join.
 *
 * latency_histogram is log-linear: exact below 64, then 32 buckets per power of two, so any
 * percentile it reports is within about 1.6% of the true sample (half a bucket of 1/32).
 * Fixed size (no allocation while recording), and merging is adding counts.
 * Debian ships no C HDR histogram library, which is what this would otherwise be.
 */
#ifndef ESPRESSO_STATS_H
#define ESPRESSO_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HISTOGRAM_SUB_BITS 5
#define HISTOGRAM_SUB_BUCKETS (1u << HISTOGRAM_SUB_BITS)
/* Values up to 2^64-1: bucket (63 - SUB_BITS + 1) * SUB_BUCKETS + SUB_BUCKETS - 1 is the last. */
#define HISTOGRAM_BUCKETS ((64 - HISTOGRAM_SUB_BITS + 1) * HISTOGRAM_SUB_BUCKETS)

struct latency_histogram {
        uint64_t count;                     /* values recorded */
        uint64_t max;                       /* largest value recorded, exact */
        uint64_t buckets[HISTOGRAM_BUCKETS]; /* values per bucket */
};

void histogram_reset(struct latency_histogram *h);
void histogram_record(struct latency_histogram *h, uint64_t value);
void histogram_merge(struct latency_histogram *into, const struct latency_histogram *from);

/* The smallest recorded value v such that a fraction q of the values are <= v, as the midpoint of
 * its bucket (clamped to max); q in [0, 1]. 0 when empty: check count first. */
uint64_t histogram_quantile(const struct latency_histogram *h, double q);

/* Bucket arithmetic, exposed for the unit tests. */
size_t histogram_bucket_of(uint64_t value);
uint64_t histogram_bucket_low(size_t bucket);
uint64_t histogram_bucket_high(size_t bucket); /* inclusive */

/* Jain's fairness index of n shares: (sum x)^2 / (n * sum x^2). 1 when all are equal, 1/n when
 * one gets everything. 1 for an all-zero input (nobody was favoured). */
double jain_fairness(const double *shares, size_t n);

#endif
