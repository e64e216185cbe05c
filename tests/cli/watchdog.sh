# No run can hang: the watchdog ends a run in which no barista serves a drink, whatever the
# scenario does, and says who is stuck; race-check gives such a scenario the verdict "hung".
# $1 is the tests' lab, which has the scenarios of tests/scenarios/ too: a barista relocking its
# own mutex, baristas spinning on a flag nobody sets, a deadlock nobody tells the watchdog about.
. "$(dirname "$0")/lib.sh"
need_jq

# run SCENARIO STATE: the run ends with exit 3 (stalled) within the lab's own stall limit plus a
# margin, says so in its JSON, and describes every stuck barista by what the kernel says.
expect_stall() {
        local scenario=$1 state=$2 start elapsed limit
        start=$(date +%s%N)
        run_lab run "$scenario" --baristas 2 --format json
        elapsed=$(seconds_since "$start")
        [ "$status" -eq 3 ] || fail "$scenario exited $status, expected 3 (stalled): $(cat "$WORK/err")"
        jq_expect '.ended == "stalled" and .invariants_held == false and (.stuck | length) == 2'
        jq_expect ".stuck | all(.state | test(\"$state\"))"
        jq_expect '.seconds == null and .ns_per_drink == null' # stuck baristas are not read
        limit=$(jq .stall_limit_seconds "$WORK/out")
        within "$elapsed" "$(awk -v l="$limit" 'BEGIN { print l + 5 }')" ||
                fail "$scenario took $elapsed s to be ended, its stall limit is $limit s"
        grep -q "stalled: no barista has served a drink for" "$WORK/err" ||
                fail "$scenario: no diagnosis on stderr: $(cat "$WORK/err")"
        [ "$(grep -c "is stuck after" "$WORK/err")" -eq 2 ] ||
                fail "$scenario: the diagnosis does not name both baristas: $(cat "$WORK/err")"
        echo "ok: $scenario ended after $elapsed s (limit $limit s): $(jq -c '[.stuck[].state]' "$WORK/out")"
}

expect_stall test-relock "asleep in the kernel on a futex"
expect_stall test-silent-deadlock "asleep in the kernel on a futex"
expect_stall test-spin-forever "running, but serving nothing"

# A setup that never returns: no barista starts, and the setup guard ends the run.
start=$(date +%s%N)
run_lab run test-setup-forever --stall-seconds 0.5 --format json
elapsed=$(seconds_since "$start")
[ "$status" -eq 3 ] && grep -q "setup has not returned after" "$WORK/err" ||
        fail "a setup that never returns: exit $status: $(cat "$WORK/err")"
within "$elapsed" 10 || fail "a setup that never returns was ended after $elapsed s"
echo "ok: a setup that never returns ended after $elapsed s"

# The stall limit grows with the work of one order, and --stall-seconds sets its base.
run_lab run test-relock --baristas 2 --stall-seconds 0.5 --shot-ns 100000 --format json
[ "$status" -eq 3 ] || fail "relock with --stall-seconds 0.5 exited $status"
jq_expect '.stall_limit_seconds > 0.5 and .stall_limit_seconds < 0.6'
echo "ok: --stall-seconds 0.5 with 100 us shots: limit $(jq .stall_limit_seconds "$WORK/out") s"

# race-check ends each of them too, with the verdict hung (which a deadlock expectation accepts),
# and says why; TSan itself reports nothing for a relock.
start=$(date +%s%N)
run_lab race-check test-relock test-spin-forever test-silent-deadlock --format json
elapsed=$(seconds_since "$start")
[ "$status" -eq 0 ] || fail "race-check exited $status: $(cat "$WORK/err") $(cat "$WORK/out")"
jq_expect 'all(.results[]; .observed == "hung" and .match and .killed == false)'
jq_expect 'all(.results[]; .hung_because | test("barista 1 is (asleep|running)"))'
jq_expect '.results[0].reports == 0'
within "$elapsed" 60 || fail "race-check of three hanging scenarios took $elapsed s"
echo "ok: race-check: three hanging scenarios judged hung in $elapsed s"
