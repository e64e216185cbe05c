# With 64 baristas on a small machine every correct spinlock run still ends soon after --seconds.
. "$(dirname "$0")/lib.sh"
need_jq

run_lab list --format json
spinners=$(jq -r '.scenarios[] | select(.spinlock and .expect == "clean") | .name' "$WORK/out")
[ "$(echo "$spinners" | wc -w)" -ge 12 ] || fail "expected at least 12 spin scenarios, got: $spinners"

for scenario in $spinners; do
        start=$(date +%s%N)
        timeout 60 "$LAB" run "$scenario" --baristas 64 --seconds 0.5 --format json >"$WORK/out" 2>"$WORK/err"
        status=$?
        elapsed=$(seconds_since "$start")
        [ "$status" -eq 0 ] || fail "$scenario at 64 baristas exited $status after $elapsed s"
        jq_expect '.invariants_held and .drinks > 0'
        # The lab's own length of the run, plus a margin for 64 threads to finish their orders.
        within "$elapsed" "$(jq '.seconds + 15' "$WORK/out")" ||
                fail "$scenario at 64 baristas took $elapsed s for a run of $(jq .seconds "$WORK/out") s"
        echo "ok: $scenario, 64 baristas, 0.5 s run, ended after $elapsed s," \
             "$(jq '.ns_per_drink | floor' "$WORK/out") ns/drink," \
             "$(jq '.ctx_switches_per_drink' "$WORK/out") ctx switches/drink"
done

# How much slower a fair spinlock gets with more baristas than cores (it collapses when the next
# in line is preempted) depends on where the scheduler preempts each barista, run by run: it is a
# figure, printed by `bench collapse` (see bench.sh), not a bound a test could hold it to.
