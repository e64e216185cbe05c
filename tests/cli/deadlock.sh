# A real deadlock does not hang the lab: the watchdog ends the run within its bound, exit 1,
# saying who holds what and waits for what. The fix, one global lock order, always finishes.
. "$(dirname "$0")/lib.sh"
need_jq

start=$(date +%s%N)
timeout 30 "$LAB" run deadlock --baristas 2 --orders 100000 >"$WORK/out" 2>"$WORK/err"
status=$?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$status" -eq 1 ] || fail "deadlock exited $status after $elapsed_ms ms, expected 1: $(cat "$WORK/err")"
[ "$elapsed_ms" -lt 10000 ] || fail "the watchdog took $elapsed_ms ms"
grep -q "deadlock: no barista has served a drink" "$WORK/err" || fail "no diagnosis: $(cat "$WORK/err")"
grep -q "holds the grinder and waits for the espresso machine" "$WORK/err" ||
        fail "the diagnosis does not say who holds the grinder: $(cat "$WORK/err")"
grep -q "holds the espresso machine and waits for the grinder" "$WORK/err" ||
        fail "the diagnosis does not say who holds the machine: $(cat "$WORK/err")"
echo "ok: the watchdog ended the deadlock after $elapsed_ms ms"

run_lab run deadlock-ordered --baristas 4 --orders 400 --format json
[ "$status" -eq 0 ] || fail "deadlock-ordered exited $status: $(cat "$WORK/err")"
jq_expect '.invariants_held and .drinks == 400 and .lost_updates == 0 and .collisions == 0'
echo "ok: deadlock-ordered served all 400 orders"
