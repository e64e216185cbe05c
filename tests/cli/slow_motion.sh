# --slow-motion holds the race window open: on a single core, where the plain run loses nothing,
# the slowed one loses shots and collides in every run.
. "$(dirname "$0")/lib.sh"
need_jq
command -v taskset >/dev/null || fail "taskset (util-linux) is needed"

taskset -c 0 "$LAB" run unsync --baristas 2 --orders 2000 --format json >"$WORK/out"
plain_lost=$(jq .lost_updates "$WORK/out")
for run in 1 2 3; do
        taskset -c 0 "$LAB" run unsync --slow-motion --baristas 2 --orders 2000 --format json >"$WORK/out" ||
                fail "slow-motion unsync exited $?"
        jq_expect '.slow_motion and .lost_updates > 0 and .collisions > 0'
        echo "ok: one core, slow motion, run $run: $(jq .lost_updates "$WORK/out") shots lost," \
             "$(jq .collisions "$WORK/out") collisions (without slow motion: $plain_lost lost)"
done
taskset -c 0 "$LAB" run atomic-counter --slow-motion --baristas 2 --orders 2000 --format json >"$WORK/out"
jq_expect '.lost_updates == 0 and .collisions > 0'
run_lab run unsync --slow-motion
grep -q "slow motion" "$WORK/out" || fail "the table does not say the run was in slow motion"
