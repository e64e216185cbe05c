# race-check never waits for ever, and no child of it outlives it: interrupted, it kills the TSan
# run in progress and exits 130. And it judges invariants as well as reports. $1 is the tests' lab
# (it has test-relock, which hangs, and test-uncounted, which loses a shot without a race).
. "$(dirname "$0")/lib.sh"
need_jq

start=$(date +%s%N)
"$LAB" race-check test-relock --runs 20 --format json >"$WORK/out" 2>"$WORK/err" &
pid=$!
# Wait until its TSan child is running.
tries=0
until pgrep -P "$pid" >/dev/null; do
        kill -0 "$pid" 2>/dev/null || fail "race-check ended before starting a TSan run: $(cat "$WORK/err")"
        tries=$((tries + 1))
        [ "$tries" -lt 1000 ] || fail "race-check never started a TSan run"
        sleep 0.01
done
child=$(pgrep -P "$pid" | head -1)
kill -INT "$pid"
wait "$pid"
status=$?
elapsed=$(seconds_since "$start")
[ "$status" -eq 130 ] || fail "interrupted race-check exited $status, expected 130: $(cat "$WORK/err")"
within "$elapsed" 10 || fail "interrupted race-check took $elapsed s to end"
jq -e '.results | type == "array"' "$WORK/out" >/dev/null || fail "no parseable JSON: $(cat "$WORK/out")"
sleep 0.2
! kill -0 "$child" 2>/dev/null || fail "the TSan run $child outlived race-check"
echo "ok: interrupted race-check exited 130 after $elapsed s, its TSan child gone"

# A scenario that claims to be correct must keep its invariants under TSan too: test-uncounted
# races nowhere, but its machine's count is short, and that is a mismatch.
run_lab race-check test-uncounted --format json
[ "$status" -eq 1 ] || fail "race-check of a scenario breaking its invariants exited $status, expected 1"
jq_expect '.results[0] | .observed == "clean" and .reports == 0 and .match == false'
jq_expect '.results[0] | .invariants_held == false and (.broken_invariant | test("lost"))'
run_lab race-check test-uncounted
grep -q "yet an invariant broke" "$WORK/out" || fail "the table does not say the invariant broke: $(cat "$WORK/out")"
echo "ok: a clean verdict with a broken invariant is a mismatch"
