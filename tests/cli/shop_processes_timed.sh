# shop-processes ends like every other scenario: a timed run on time, a counted run with exactly
# its orders, an interrupted run at once, and no barista process outlives the lab. The processes
# cannot see the lab's stop flag; these fail if the worker does not pass it on through the
# shared mapping (a timed run then never ends: `timeout` turns that into a failure).
. "$(dirname "$0")/lib.sh"
need_jq

# Run the lab under a name of this test's own, so that its barista processes (forks: the same
# command line) can be told from any other lab's.
ln -s "$LAB" "$WORK/espresso-lab" || fail "cannot link the lab into $WORK"
LAB=$WORK/espresso-lab

# leftovers: the pids of processes still running this test's lab; zombies are dead already.
leftovers() {
        local p
        for p in /proc/[0-9]*; do
                [ "$({ tr '\0' '\n' <"$p/cmdline"; } 2>/dev/null | head -n 1)" = "$LAB" ] || continue
                [ "$(awk '{ print $3 }' "$p/stat" 2>/dev/null)" != Z ] || continue
                echo "${p#/proc/}"
        done
}

# wait_for_children PID N: waits (up to 10 s) until process PID has N children: its baristas.
wait_for_children() {
        local pid=$1 want=$2 tries=0
        while [ "$(pgrep -P "$pid" | wc -l)" -lt "$want" ]; do
                kill -0 "$pid" 2>/dev/null || fail "process $pid ended before its baristas started"
                tries=$((tries + 1))
                [ "$tries" -lt 1000 ] || fail "process $pid never forked $want baristas"
                sleep 0.01
        done
}

# A timed run ends within its time plus a generous margin (seconds_limit is the --seconds the
# lab ran with), measured and on the wall clock, the latter also within what it measured plus
# the margin; and it serves every order it took, each shot counted once.
start=$(date +%s%N)
timeout -k 5 30 "$LAB" run shop-processes --baristas 3 --seconds 0.2 --format json >"$WORK/out" 2>"$WORK/err"
status=$?
elapsed=$(seconds_since "$start")
[ "$status" -ne 124 ] && [ "$status" -ne 137 ] || fail "a 0.2 s run had not ended after 30 s"
[ "$status" -eq 0 ] || fail "a timed run exited $status: $(cat "$WORK/err")"
jq_expect '.ended == "completed" and .seconds_limit == 0.2'
limit=$(jq '.seconds_limit + 2' "$WORK/out")
within "$elapsed" "$limit" || fail "a 0.2 s run took $elapsed s, more than $limit s"
jq_expect ".seconds <= $limit"
measured=$(jq '.seconds + 2' "$WORK/out")
within "$elapsed" "$measured" || fail "a run that measured $(jq .seconds "$WORK/out") s took $elapsed s"
jq_expect '.drinks > 0 and .drinks == .orders and .shots == .drinks and .lost_updates == 0'
jq_expect '.invariants_held'
left=$(leftovers)
[ -z "$left" ] || fail "barista processes outlived a timed run: $left"
echo "ok: a 0.2 s run ended after $elapsed s (measured $(jq .seconds "$WORK/out") s), $(jq .drinks "$WORK/out") drinks"

# A counted run serves exactly its orders, split evenly or not (17, 17, 16).
for split in "50 3" "4 4"; do
        read -r orders baristas <<<"$split"
        run_lab run shop-processes --orders "$orders" --baristas "$baristas" --format json
        [ "$status" -eq 0 ] || fail "--orders $orders --baristas $baristas exited $status: $(cat "$WORK/err")"
        jq_expect ".ended == \"completed\" and .orders == $orders and .drinks == $orders and .shots == $orders"
        jq_expect '.invariants_held and .seconds_limit == null'
done
left=$(leftovers)
[ -z "$left" ] || fail "barista processes outlived a counted run: $left"
echo "ok: counted runs served exactly 50 and 4 orders"

# Interrupted, a long counted run (1000 s of drinks) ends at once: the stop flag reaches the
# processes, which finish the drink in hand. It reports what they made.
start=$(date +%s%N)
"$LAB" run shop-processes --baristas 2 --orders 1000000 --format json >"$WORK/out" 2>"$WORK/err" &
pid=$!
wait_for_children "$pid" 2
kill -INT "$pid"
wait "$pid"
status=$?
elapsed=$(seconds_since "$start")
[ "$status" -eq 130 ] || fail "SIGINT: exit $status, expected 130: $(cat "$WORK/err")"
within "$elapsed" 20 || fail "SIGINT took $elapsed s to end the run"
jq_expect '.ended == "interrupted" and .drinks == .orders and .shots == .drinks and .invariants_held'
left=$(leftovers)
[ -z "$left" ] || fail "barista processes outlived an interrupted run: $left"
echo "ok: SIGINT ended the run after $elapsed s, $(jq .drinks "$WORK/out") drinks, no process left"

# Killed outright, the lab cannot pass anything on: its processes die with it (they asked the
# kernel to, PR_SET_PDEATHSIG). They are gone within a few seconds.
"$LAB" run shop-processes --baristas 2 --seconds 30 --format json >"$WORK/out" 2>"$WORK/err" &
pid=$!
wait_for_children "$pid" 2
exec 3>&2 2>/dev/null # not the shell's "Killed": that is the point
kill -KILL "$pid"
wait "$pid"
exec 2>&3 3>&-
tries=0
while [ -n "$(leftovers)" ]; do
        tries=$((tries + 1))
        [ "$tries" -lt 500 ] || fail "barista processes outlived a killed lab by 5 s: $(leftovers)"
        sleep 0.01
done
echo "ok: killed, the lab took its processes with it"
