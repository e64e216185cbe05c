#include "stats.h"

#include <string.h>

void histogram_reset(struct latency_histogram *h)
{
        memset(h, 0, sizeof(*h));
}

size_t histogram_bucket_of(uint64_t value)
{
        if (value < 2 * HISTOGRAM_SUB_BUCKETS)
                return (size_t)value; /* exact */
        unsigned exponent = 63u - (unsigned)__builtin_clzll(value); /* >= SUB_BITS + 1 */
        unsigned shift = exponent - HISTOGRAM_SUB_BITS;
        uint64_t mantissa = value >> shift; /* in [SUB_BUCKETS, 2 * SUB_BUCKETS) */
        return (size_t)(shift + 1) * HISTOGRAM_SUB_BUCKETS + (size_t)(mantissa - HISTOGRAM_SUB_BUCKETS);
}

uint64_t histogram_bucket_low(size_t bucket)
{
        if (bucket < 2 * HISTOGRAM_SUB_BUCKETS)
                return bucket;
        unsigned shift = (unsigned)(bucket / HISTOGRAM_SUB_BUCKETS) - 1;
        uint64_t mantissa = HISTOGRAM_SUB_BUCKETS + bucket % HISTOGRAM_SUB_BUCKETS;
        return mantissa << shift;
}

uint64_t histogram_bucket_high(size_t bucket)
{
        if (bucket < 2 * HISTOGRAM_SUB_BUCKETS)
                return bucket;
        unsigned shift = (unsigned)(bucket / HISTOGRAM_SUB_BUCKETS) - 1;
        return histogram_bucket_low(bucket) + ((uint64_t)1 << shift) - 1;
}

void histogram_record(struct latency_histogram *h, uint64_t value)
{
        h->buckets[histogram_bucket_of(value)]++;
        h->count++;
        if (value > h->max)
                h->max = value;
}

void histogram_merge(struct latency_histogram *into, const struct latency_histogram *from)
{
        for (size_t i = 0; i < HISTOGRAM_BUCKETS; i++)
                into->buckets[i] += from->buckets[i];
        into->count += from->count;
        if (from->max > into->max)
                into->max = from->max;
}

uint64_t histogram_quantile(const struct latency_histogram *h, double q)
{
        if (h->count == 0)
                return 0;
        if (q <= 0)
                q = 0;
        if (q >= 1)
                return h->max;
        /* Rank of the wanted value, 1-based: the smallest r with r >= q * count. */
        uint64_t rank = (uint64_t)(q * (double)h->count);
        if ((double)rank < q * (double)h->count || rank == 0)
                rank++;
        uint64_t seen = 0;
        for (size_t i = 0; i < HISTOGRAM_BUCKETS; i++) {
                seen += h->buckets[i];
                if (seen >= rank) {
                        uint64_t low = histogram_bucket_low(i), high = histogram_bucket_high(i);
                        uint64_t mid = low + (high - low) / 2;
                        return mid < h->max ? mid : h->max;
                }
        }
        return h->max;
}

double jain_fairness(const double *shares, size_t n)
{
        double sum = 0, sum_squares = 0;

        for (size_t i = 0; i < n; i++) {
                sum += shares[i];
                sum_squares += shares[i] * shares[i];
        }
        if (n == 0 || sum_squares == 0)
                return 1.0;
        return (sum * sum) / ((double)n * sum_squares);
}
