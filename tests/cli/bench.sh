# The benchmarks run and print every figure they promise, each a positive number. Their values are
# not judged here: on a shared machine they vary, and a benchmark prints them for a person.
. "$(dirname "$0")/lib.sh"

number='[0-9]+(\.[0-9]+)?'

run_lab bench overhead --orders 200000 --repeat 3
[ "$status" -eq 0 ] || fail "bench overhead exited $status: $(cat "$WORK/err")"
for figure in "bare lock/increment/unlock +$number ns" "mutex scenario in the harness +$number ns" \
        "ratio +$number""x of the medians" "paired ratio, median +$number""x" \
        "bare two-thread lock loop +$number ns" "CPUs' round trip, median +($number|nan) ns"; do
        grep -Eq "$figure" "$WORK/out" || fail "bench overhead lacks '$figure': $(cat "$WORK/out")"
done

[ "$(grep -c "paired ratio, median" "$WORK/out")" -eq 2 ] ||
        fail "bench overhead lacks the paired ratio at one or at two baristas: $(cat "$WORK/out")"
for name in repeatability collapse; do
        run_lab bench "$name" --help
        [ "$status" -eq 0 ] && grep -q "usage: espresso-lab bench" "$WORK/out" ||
                fail "bench $name --help exited $status: $(cat "$WORK/out") $(cat "$WORK/err")"
done

run_lab bench repeatability
[ "$status" -eq 0 ] || fail "bench repeatability exited $status: $(cat "$WORK/err")"
# One row per sweep: its number, the 2-barista and 1-barista medians, the round trip (nan with
# one CPU).
rows=$(grep -Ec "^ +[1-5] +$number +$number +($number|nan)$" "$WORK/out")
[ "$rows" -eq 5 ] || fail "bench repeatability printed $rows sweep rows, expected 5: $(cat "$WORK/out")"
grep -Eq "2 baristas: medians $number to $number ns per drink: spread $number%" "$WORK/out" ||
        fail "no 2-barista spread: $(cat "$WORK/out")"
grep -Eq "1 barista .*: $number to $number ns: spread $number%" "$WORK/out" ||
        fail "no 1-barista spread: $(cat "$WORK/out")"
# The round trip needs both CPUs at once: on a busy machine it may not be measured (nan), and
# cpus_round_trip.sh checks it on an idle one.

run_lab bench collapse
[ "$status" -eq 0 ] || fail "bench collapse exited $status: $(cat "$WORK/err")"
for lock in spin-ck-ticket spin-c11-tas mutex; do
        grep -Eq "^ +$lock +$number +$number +$number""x +$number +$number +$number""x$" "$WORK/out" ||
                fail "bench collapse lacks a row for $lock: $(cat "$WORK/out")"
done
echo "ok: bench overhead, bench repeatability and bench collapse"
