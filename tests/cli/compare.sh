# compare on a tiny grid: every cell is there, medians lie within their spread, the pictures
# parse and name every scenario, a result compared with itself shows no significant change, and
# bad grids are refused with one line and exit 2.
. "$(dirname "$0")/lib.sh"
need_jq
command -v xmllint >/dev/null || fail "xmllint is needed (./lab test installs libxml2-utils)"

run_lab compare --scenarios mutex,unsync --baristas 1,2 --repeat 2 --seconds 0.05 \
        --format json --svg "$WORK/c.svg" --html "$WORK/c.html"
[ "$status" -eq 0 ] || fail "compare exited $status: $(cat "$WORK/err")"
cp "$WORK/out" "$WORK/saved.json"
# Progress goes to stderr only on a terminal: here it is a file, so nothing.
[ ! -s "$WORK/err" ] || fail "compare wrote to a non-terminal stderr: $(cat "$WORK/err")"
jq_expect '.schema == "espresso-lab/compare/1"'
jq_expect '.machine | (.cpu | length) > 0 and .cores >= 1 and (.kernel | length) > 0 and (.compiler | length) > 0 and .busywork_iterations_per_us > 0'
# Measured, or null where the two CPUs could not both be had (one CPU, or a busy machine):
# cpus_round_trip.sh checks that an idle machine measures it.
jq_expect '.machine.core_round_trip_ns | all(.before, .after; . == null or . > 0)'
jq_expect '.parameters | .baristas == [1,2] and .repeat == 2 and .scenarios == ["mutex","unsync"]'
jq_expect '.cells | length == 4'
jq_expect '[.cells[] | [.scenario, .baristas]] | sort == [["mutex",1],["mutex",2],["unsync",1],["unsync",2]]'
jq_expect 'all(.cells[]; .runs == 2 and .ns_per_drink.min <= .ns_per_drink.median and .ns_per_drink.median <= .ns_per_drink.max)'
jq_expect 'all(.cells[]; .drinks_per_sec.min <= .drinks_per_sec.median and .drinks_per_sec.median <= .drinks_per_sec.max)'
jq_expect 'any(.scenarios[]; .name == "unsync" and .tsan_observed == "race" and .tsan_slowdown > 1)'
jq_expect 'any(.scenarios[]; .name == "mutex" and .tsan_observed == "clean")'
jq_expect 'all(.cells[] | select(.scenario == "mutex"); .invariants_held and .lost_updates == 0)'

xmllint --noout "$WORK/c.svg" || fail "the SVG is not well-formed XML"
for name in mutex unsync; do
        grep -q ">$name</text>" "$WORK/c.svg" || fail "the SVG's legend does not name $name"
done
grep -q "drinks per second" "$WORK/c.svg" || fail "the SVG's axis has no unit"
grep -q "<svg" "$WORK/c.html" && grep -q "NS/DRINK" "$WORK/c.html" || fail "the HTML lacks the chart or the table"

# The same result as its own baseline: every cell matched, no change, nothing significant.
run_lab compare --from "$WORK/saved.json" --baseline "$WORK/saved.json" --format json
[ "$status" -eq 0 ] || fail "compare --from --baseline exited $status: $(cat "$WORK/err")"
jq_expect '.cells | length == 4'
jq_expect 'all(.cells[]; .baseline.change == 0 and .baseline.significant == false)'
run_lab compare --from "$WORK/saved.json" --baseline "$WORK/saved.json"
grep -q "CHANGE" "$WORK/out" && ! grep -q ' \*$' "$WORK/out" || fail "the table marks a change: $(cat "$WORK/out")"

# A saved result reported again keeps the facts of the machine it was measured on.
jq '.machine.cpu = "the saved machine" | .machine.core_round_trip_ns = {before: 40, after: 50}' \
        "$WORK/saved.json" >"$WORK/elsewhere.json"
run_lab compare --from "$WORK/elsewhere.json" --format json
jq_expect '.machine.cpu == "the saved machine" and .machine.core_round_trip_ns.after == 50'
# The round trip changed by more than half during the runs, or against the baseline: said.
jq '.machine.core_round_trip_ns = {before: 40, after: 400}' "$WORK/saved.json" >"$WORK/moved.json"
run_lab compare --from "$WORK/moved.json"
grep -q "went from 40 to 400 ns during the runs" "$WORK/out" || fail "no note on the CPUs moving: $(cat "$WORK/out")"
grep -q "between two CPUs and back in 40 ns before the runs and 400 ns after" "$WORK/out" ||
        fail "the table does not give the round trips: $(cat "$WORK/out")"
run_lab compare --from "$WORK/elsewhere.json" --baseline "$WORK/moved.json"
grep -q "The baseline's CPUs passed a cache line round in 220 ns, these in 45 ns" "$WORK/out" ||
        fail "no note on the baseline's CPUs: $(cat "$WORK/out")"
run_lab compare --from "$WORK/elsewhere.json" --baseline "$WORK/elsewhere.json"
! grep -q "round trip\|cache line round" "$WORK/out" || fail "a round-trip note without a change: $(cat "$WORK/out")"

# A baseline that differs beyond the spread is marked.
jq '.cells[0].ns_per_drink |= {median: (.median * 10), min: (.median * 10), max: (.median * 10)}' \
        "$WORK/saved.json" >"$WORK/slower.json"
run_lab compare --from "$WORK/saved.json" --baseline "$WORK/slower.json" --format json
jq_expect '.cells[0].baseline.significant == true and .cells[0].baseline.change < -0.8'

expect_usage_error "--baristas: 0 is out of range" compare --baristas 0
expect_usage_error "--repeat: 0 is out of range" compare --repeat 0
expect_usage_error "--scenarios: unknown scenario 'nosuch'" compare --scenarios mutex,nosuch
expect_usage_error "--family: unknown family 'nosuch'" compare --family nosuch
expect_usage_error "--baristas: the range 8..2 runs backwards" compare --baristas 8..2
expect_usage_error "--baseline: cannot read" compare --baseline "$WORK/missing.json"
echo "ok: compare"
