# With 64 baristas on a small machine every spinlock run still ends soon after --seconds, and a
# fair spinlock's collapse shows in its numbers.
. "$(dirname "$0")/lib.sh"
need_jq

run_lab list --format json
spinners=$(jq -r '.scenarios[] | select(.name | startswith("spin-")) | .name' "$WORK/out")
[ "$(echo "$spinners" | wc -w)" -ge 12 ] || fail "expected at least 12 spin scenarios, got: $spinners"

for scenario in $spinners; do
        start=$(date +%s%N)
        timeout 30 "$LAB" run "$scenario" --baristas 64 --seconds 1 --format json >"$WORK/out" 2>"$WORK/err"
        status=$?
        elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
        [ "$status" -eq 0 ] || fail "$scenario at 64 baristas exited $status after $elapsed_ms ms"
        [ "$elapsed_ms" -lt 15000 ] || fail "$scenario at 64 baristas took $elapsed_ms ms for a 1 s run"
        jq_expect '.invariants_held and .drinks > 0'
        echo "ok: $scenario, 64 baristas, 1 s run, ended after $elapsed_ms ms," \
             "$(jq '.ns_per_drink | floor' "$WORK/out") ns/drink," \
             "$(jq '.ctx_switches_per_drink' "$WORK/out") ctx switches/drink"
done

# The collapse: a ticket lock hands the machine to the next ticket even when that barista is
# preempted, so with far more baristas than cores each drink costs many times more.
if [ "$(nproc)" -le 8 ]; then
        "$LAB" run spin-ck-ticket --baristas 2 --seconds 0.5 --format json >"$WORK/two"
        "$LAB" run spin-ck-ticket --baristas 64 --seconds 0.5 --format json >"$WORK/many"
        two=$(jq .ns_per_drink "$WORK/two")
        many=$(jq .ns_per_drink "$WORK/many")
        jq -en --argjson two "$two" --argjson many "$many" '$many > 5 * $two' >/dev/null ||
                fail "no collapse: ticket lock at 64 baristas $many ns/drink, at 2 baristas $two"
        echo "ok: ticket lock collapses: $two ns/drink at 2 baristas, $many at 64"
fi
