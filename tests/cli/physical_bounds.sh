# Figures no honest measurement can break, for every scenario, with shots long enough to
# dominate: one machine that takes one barista at a time cannot pull shots faster than one per
# shot; a shop cannot be quicker than its longest drink or its work shared out; a menu cannot be
# read faster than its readers' CPU time allows; p50 <= p99 <= max, and fairness is within
# [1/N, 1]. Each bound has a margin of 2x for the busy work's calibration drifting as this
# machine changes speed, far less than the errors they catch (a queue's operator left out of
# `seconds` once gave 12.6 ns a drink for 200 us shots).
. "$(dirname "$0")/lib.sh"
need_jq

SHOT_NS=200000 # 200 us
run_lab list --format json
cp "$WORK/out" "$WORK/scenarios.json"
asan=$("$LAB" --version | grep -c "sanitize=[a-z,]*address" || true)

# The cheapest read a menu can have: one barista, nothing else reading, no lock. In CPU time, not
# wall time: on a busy machine the barista has the CPU only part of the time (seen in a soak
# with both CPUs kept busy: the wall-clock floor doubled, and the bound below then failed).
floor=1e12
for i in 1 2 3; do
        run_lab run menu-unsync --baristas 1 --seconds 0.1 --format json
        floor=$(jq -n --argjson f "$floor" --argjson n "$(jq '.ns_per_drink * (.cores_used // 1)' "$WORK/out")" '[$f, $n] | min')
done

# Checks that hold for every run: quantiles in order, fairness in range.
ordered() {
        jq_expect 'all(.wait_ns, .hold_ns, (.update_ns // {}); (.p50 == null) or (.p50 <= .p99 and .p99 <= .max))'
        jq_expect '.fairness == null or (.fairness >= 1 / .baristas - 1e-9 and .fairness <= 1 + 1e-9)'
}

checked=0
for name in $(jq -r '.scenarios[] | select(.expect != "deadlock") | .name' "$WORK/scenarios.json"); do
        info=$(jq -c --arg n "$name" '.scenarios[] | select(.name == $n)' "$WORK/scenarios.json")
        if [ "$asan" -gt 0 ] && [ "$(jq .uses_freed_memory <<<"$info")" = true ]; then
                echo "  $name uses freed memory on purpose: not run natively under AddressSanitizer"
                continue
        fi
        family=$(jq -r .family <<<"$info")
        if [ "$family" = menu ]; then
                run_lab run "$name" --baristas 2 --seconds 0.2 --format json
                [ "$status" -le 1 ] || fail "$name exited $status: $(cat "$WORK/err")"
                ordered
                # reads/s x the cheapest read <= the CPU time per second spent (readers and manager).
                jq -e --argjson floor "$floor" '.reads_per_sec * $floor / 1e9 <= 2 * .cores_used' \
                        "$WORK/out" >/dev/null ||
                        fail "$name: $(jq .reads_per_sec "$WORK/out") reads/s at $floor ns each need more than $(jq .cores_used "$WORK/out") cores"
        elif [ "$family" = shop ]; then
                for work in waiting cpu; do
                        run_lab run "$name" --baristas 2 --orders 12 --work "$work" --format json
                        [ "$status" -eq 0 ] || fail "$name --work $work exited $status: $(cat "$WORK/err")"
                        ordered
                        # A drink is 2 ms; its work (the CPU part) is 0.1 ms, or all 2 ms for cpu.
                        work_ns=$([ "$work" = cpu ] && echo 2000000 || echo 100000)
                        jq -e '.seconds >= 0.5 * 0.002' "$WORK/out" >/dev/null ||
                                fail "$name --work $work: $(jq .seconds "$WORK/out") s is quicker than one drink"
                        # The work shared out among the 2 baristas asked for, at best.
                        jq -e --argjson w "$work_ns" '.seconds >= 0.5 * .drinks * $w / 2 / 1e9' \
                                "$WORK/out" >/dev/null ||
                                fail "$name --work $work: $(jq .seconds "$WORK/out") s for $(jq .drinks "$WORK/out") drinks of $work_ns ns work over 2 baristas"
                done
        else
                run_lab run "$name" --baristas 2 --orders 40 --shot-ns "$SHOT_NS" --format json
                [ "$status" -le 1 ] || fail "$name exited $status: $(cat "$WORK/err")"
                ordered
                # One shot at a time per group head, unless the scenario does not protect the
                # machine: then up to one per barista.
                at_once=$(jq -r 'if .expect == "race" then 2 else .group_heads end' <<<"$info")
                jq -e --argjson shot "$SHOT_NS" --argjson k "$at_once" \
                        '.ns_per_drink >= 0.5 * $shot / $k' "$WORK/out" >/dev/null ||
                        fail "$name: $(jq .ns_per_drink "$WORK/out") ns a drink, for $SHOT_NS ns shots, $at_once at a time"
        fi
        checked=$((checked + 1))
done
[ "$checked" -ge 30 ] || fail "only $checked scenarios checked"
echo "ok: $checked scenarios within their physical bounds (cheapest menu read $floor ns)"
