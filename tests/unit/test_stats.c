/* The statistics behind wait_ns, hold_ns and fairness. */
#include "check.h"
#include "measure/stats.h"

#include <stdlib.h>

static struct latency_histogram *new_histogram(void)
{
        struct latency_histogram *h = calloc(1, sizeof(*h));
        if (!h)
                abort();
        return h;
}

TEST(small_values_are_exact)
{
        for (uint64_t v = 0; v < 64; v++) {
                ASSERT_EQ_U64(histogram_bucket_low(histogram_bucket_of(v)), v);
                ASSERT_EQ_U64(histogram_bucket_high(histogram_bucket_of(v)), v);
        }
}

TEST(every_value_falls_inside_its_bucket)
{
        uint64_t probes[] = { 64, 65, 127, 128, 1000, 4095, 4096, 123456789, UINT64_MAX / 3,
                              UINT64_MAX };
        for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
                size_t bucket = histogram_bucket_of(probes[i]);
                ASSERT_TRUE(bucket < HISTOGRAM_BUCKETS);
                ASSERT_TRUE(histogram_bucket_low(bucket) <= probes[i]);
                ASSERT_TRUE(probes[i] <= histogram_bucket_high(bucket));
        }
}

TEST(buckets_tile_the_range_without_gaps)
{
        for (size_t b = 0; b + 1 < HISTOGRAM_BUCKETS; b++)
                ASSERT_EQ_U64(histogram_bucket_high(b) + 1, histogram_bucket_low(b + 1));
        ASSERT_EQ_U64(histogram_bucket_high(HISTOGRAM_BUCKETS - 1), UINT64_MAX);
}

TEST(bucket_width_keeps_relative_error_under_two_percent)
{
        for (size_t b = 64; b < HISTOGRAM_BUCKETS; b++) {
                double low = (double)histogram_bucket_low(b), high = (double)histogram_bucket_high(b);
                ASSERT_TRUE((high - low) / 2 / low < 0.016);
        }
}

TEST(quantiles_of_a_uniform_run)
{
        struct latency_histogram *h = new_histogram();
        for (uint64_t v = 1; v <= 10000; v++)
                histogram_record(h, v);
        ASSERT_EQ_U64(h->count, 10000);
        ASSERT_EQ_U64(h->max, 10000);
        ASSERT_NEAR((double)histogram_quantile(h, 0.50), 5000, 5000 * 0.016);
        ASSERT_NEAR((double)histogram_quantile(h, 0.99), 9900, 9900 * 0.016);
        ASSERT_EQ_U64(histogram_quantile(h, 1.0), 10000);
        free(h);
}

TEST(quantile_of_a_tail)
{
        /* 98 fast, 2 slow: p50 is fast, p99 lands on the slow ones. */
        struct latency_histogram *h = new_histogram();
        for (int i = 0; i < 98; i++)
                histogram_record(h, 20);
        histogram_record(h, 50000);
        histogram_record(h, 70000);
        ASSERT_EQ_U64(histogram_quantile(h, 0.50), 20);
        ASSERT_NEAR((double)histogram_quantile(h, 0.99), 50000, 50000 * 0.016);
        ASSERT_EQ_U64(h->max, 70000);
        free(h);
}

TEST(quantile_never_exceeds_max)
{
        struct latency_histogram *h = new_histogram();
        histogram_record(h, 1000001);
        ASSERT_EQ_U64(histogram_quantile(h, 0.5), 1000001);
        free(h);
}

TEST(empty_histogram_reports_zero)
{
        struct latency_histogram *h = new_histogram();
        ASSERT_EQ_U64(histogram_quantile(h, 0.5), 0);
        ASSERT_EQ_U64(h->count, 0);
        free(h);
}

TEST(merge_adds_counts_and_keeps_the_larger_max)
{
        struct latency_histogram *a = new_histogram(), *b = new_histogram();
        for (int i = 0; i < 10; i++)
                histogram_record(a, 100);
        for (int i = 0; i < 30; i++)
                histogram_record(b, 300);
        histogram_merge(a, b);
        ASSERT_EQ_U64(a->count, 40);
        ASSERT_EQ_U64(a->max, 300);
        ASSERT_EQ_U64(histogram_quantile(a, 0.25), 100);
        ASSERT_NEAR((double)histogram_quantile(a, 0.50), 300, 300 * 0.016);
        free(a);
        free(b);
}

TEST(jain_equal_shares_are_fair)
{
        double shares[] = { 5, 5, 5, 5 };
        ASSERT_NEAR(jain_fairness(shares, 4), 1.0, 1e-12);
}

TEST(jain_one_takes_all_is_one_over_n)
{
        double shares[] = { 0, 12, 0, 0 };
        ASSERT_NEAR(jain_fairness(shares, 4), 0.25, 1e-12);
}

TEST(jain_known_value)
{
        /* (1+2+3)^2 / (3 * (1+4+9)) = 36 / 42 */
        double shares[] = { 1, 2, 3 };
        ASSERT_NEAR(jain_fairness(shares, 3), 36.0 / 42.0, 1e-12);
}

TEST(jain_all_zero_is_fair)
{
        double shares[] = { 0, 0 };
        ASSERT_NEAR(jain_fairness(shares, 2), 1.0, 1e-12);
}

CHECK_MAIN(TEST_ENTRY(small_values_are_exact), TEST_ENTRY(every_value_falls_inside_its_bucket),
           TEST_ENTRY(buckets_tile_the_range_without_gaps),
           TEST_ENTRY(bucket_width_keeps_relative_error_under_two_percent),
           TEST_ENTRY(quantiles_of_a_uniform_run), TEST_ENTRY(quantile_of_a_tail),
           TEST_ENTRY(quantile_never_exceeds_max), TEST_ENTRY(empty_histogram_reports_zero),
           TEST_ENTRY(merge_adds_counts_and_keeps_the_larger_max),
           TEST_ENTRY(jain_equal_shares_are_fair), TEST_ENTRY(jain_one_takes_all_is_one_over_n),
           TEST_ENTRY(jain_known_value), TEST_ENTRY(jain_all_zero_is_fair))
