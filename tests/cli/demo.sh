# demo --fast runs the whole showcase to the end: the race, TSan's line, the fix, its cost,
# the deadlock caught.
. "$(dirname "$0")/lib.sh"

run_lab demo --fast
[ "$status" -eq 0 ] || fail "demo exited $status: $(cat "$WORK/err") $(cat "$WORK/out")"
grep -q "shots lost" "$WORK/out" || fail "demo shows no lost shots: $(cat "$WORK/out")"
grep -q "data race on espresso_machine.shots at src/machine.h:" "$WORK/out" || fail "demo shows no TSan line"
grep -q "no report" "$WORK/out" || fail "demo does not show mutex clean under TSan"
grep -q "What the fix costs" "$WORK/out" || fail "demo does not show the cost"
grep -q "lock-order-inversion" "$WORK/out" || fail "demo does not show TSan's lock-order inversion"
grep -q "holds the grinder and waits for the espresso machine" "$WORK/out" ||
        fail "demo does not show the watchdog catching the deadlock"
echo "ok: demo"
