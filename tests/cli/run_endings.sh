# How a run ended is machine-readable, in its exit status and its JSON: completed (0), cut short
# at its time bound (4), interrupted by SIGINT (130) or SIGTERM (143); stalled (3) is in
# watchdog.sh. Interrupted runs still report what they measured.
. "$(dirname "$0")/lib.sh"
need_jq

run_lab run mutex --baristas 2 --orders 20000 --format json
[ "$status" -eq 0 ] || fail "a plain run exited $status"
jq_expect '.ended == "completed"'

# A counted run far too long for its bound is cut short, and says what it did get done.
start=$(date +%s%N)
run_lab run mutex --baristas 2 --orders 1000000000000 --max-seconds 1 --format json
elapsed=$(seconds_since "$start")
[ "$status" -eq 4 ] || fail "a run past --max-seconds exited $status, expected 4: $(cat "$WORK/err")"
jq_expect '.ended == "cut_short" and .drinks > 0 and .drinks == .orders and .invariants_held'
jq_expect '.seconds >= 0.9 and .seconds < 3'
within "$elapsed" 10 || fail "a run cut short at 1 s took $elapsed s"
run_lab run mutex --baristas 2 --orders 1000000000000 --max-seconds 1
grep -q "^  ended  *cut_short" "$WORK/out" || fail "the table does not say the run was cut short"
expect_usage_error "--max-seconds bounds a counted run" run mutex --seconds 1 --max-seconds 2
echo "ok: cut short after $elapsed s, exit 4"

# A fair spinlock with more baristas than CPUs, counted: a one-line warning before the run.
baristas=$(( $(nproc) + 1 ))
run_lab run spin-ck-ticket --baristas "$baristas" --orders 2000 --format json
[ "$(grep -c "first come, first served" "$WORK/err")" -eq 1 ] ||
        fail "no warning before a counted fair spinlock run with $baristas baristas: $(cat "$WORK/err")"
[ "$(wc -l <"$WORK/err")" -eq 1 ] || fail "the warning is not one line: $(cat "$WORK/err")"
run_lab run spin-ck-ticket --baristas "$baristas" --seconds 0.1 --format json
[ ! -s "$WORK/err" ] || fail "a timed run warned: $(cat "$WORK/err")"
run_lab run mutex --baristas "$baristas" --orders 2000 --format json
[ ! -s "$WORK/err" ] || fail "an unfair lock warned: $(cat "$WORK/err")"
echo "ok: the collapse warning comes only for counted fair spinlock runs"

# SIGINT and SIGTERM stop a run, which reports what it measured. The signal is sent once the
# run's threads exist, so its handlers are surely in place.
for signal in INT TERM; do
        start=$(date +%s%N)
        "$LAB" run mutex --baristas 2 --seconds 30 --format json >"$WORK/out" 2>"$WORK/err" &
        pid=$!
        wait_for_threads "$pid" 3
        kill -s "$signal" "$pid"
        wait "$pid"
        status=$?
        elapsed=$(seconds_since "$start")
        expected=$([ "$signal" = INT ] && echo 130 || echo 143)
        [ "$status" -eq "$expected" ] || fail "SIG$signal: exit $status, expected $expected: $(cat "$WORK/err")"
        jq_expect '.ended == "interrupted" and .drinks > 0 and .drinks == .orders and .invariants_held'
        within "$elapsed" 20 || fail "SIG$signal took $elapsed s to end a run"
        echo "ok: SIG$signal ended the run after $elapsed s with exit $status, $(jq .drinks "$WORK/out") drinks reported"
done

# On a terminal a long counted run shows its progress on stderr; into a file, nothing.
if command -v script >/dev/null; then
        script -qec "'$LAB' run mutex --baristas 2 --orders 1000000000000 --max-seconds 2 >/dev/null" \
                /dev/null >"$WORK/tty" </dev/null
        grep -q "drinks, [0-9]* s" "$WORK/tty" || fail "no progress on a terminal: $(cat -v "$WORK/tty")"
        echo "ok: progress shown on a terminal"
fi
