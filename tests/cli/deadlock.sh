# A real deadlock does not hang the lab: the watchdog ends the run within its stall limit (exit 3,
# stalled), saying who holds what and waits for what. The fix, one global lock order, always
# finishes.
. "$(dirname "$0")/lib.sh"
need_jq

start=$(date +%s%N)
timeout 60 "$LAB" run deadlock --baristas 2 --orders 100000 --format json >"$WORK/out" 2>"$WORK/err"
status=$?
elapsed=$(seconds_since "$start")
[ "$status" -eq 3 ] || fail "deadlock exited $status after $elapsed s, expected 3: $(cat "$WORK/err")"
jq_expect '.ended == "stalled" and .deadlocked == true'
limit=$(jq .stall_limit_seconds "$WORK/out")
within "$elapsed" "$(awk -v l="$limit" 'BEGIN { print l + 5 }')" ||
        fail "the watchdog took $elapsed s, its limit is $limit s"
grep -q "deadlock: no barista has served a drink" "$WORK/err" || fail "no diagnosis: $(cat "$WORK/err")"
grep -q "holds the grinder and waits for the espresso machine" "$WORK/err" ||
        fail "the diagnosis does not say who holds the grinder: $(cat "$WORK/err")"
grep -q "holds the espresso machine and waits for the grinder" "$WORK/err" ||
        fail "the diagnosis does not say who holds the machine: $(cat "$WORK/err")"
jq_expect '[.stuck[] | .holds] | sort == ["the espresso machine", "the grinder"]'
echo "ok: the watchdog ended the deadlock after $elapsed s (limit $limit s)"

run_lab run deadlock-ordered --baristas 4 --orders 400 --format json
[ "$status" -eq 0 ] || fail "deadlock-ordered exited $status: $(cat "$WORK/err")"
jq_expect '.invariants_held and .drinks == 400 and .lost_updates == 0 and .collisions == 0'
echo "ok: deadlock-ordered served all 400 orders"
