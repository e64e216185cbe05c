# explore finds the schedule that breaks a scenario, shortens it, and replay shows that
# schedule the same way every time, on any number of CPUs; correct scenarios stay clean; a
# schedule that does not fit is refused. Every assertion holds in every run: a controlled run
# depends on the choices made, never on the machine's timing.
. "$(dirname "$0")/lib.sh"
need_jq
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=$here/check/corpus

# --- unsync: a seed finds the lost shot, in one preemption, and its schedule replays to it ---
run_lab explore unsync --find lost-shot --seed 7 --format json
[ "$status" -eq 1 ] || fail "explore unsync exited $status, expected 1 (found): $(cat "$WORK/err")"
jq_expect '.found and .finding == "lost-shot" and (.findings | index("lost-shot"))'
jq_expect '.preemptions == 1 and .preemptions <= .preemptions_found'
jq_expect '.what | test("shots were lost")'
schedule=$(jq -r .schedule "$WORK/out")
cp "$WORK/out" "$WORK/first.json"
# The same seed, the same search: the same schedule.
run_lab explore unsync --find lost-shot --seed 7 --format json
[ "$(jq -r .schedule "$WORK/out")" = "$schedule" ] || fail "the same seed found another schedule"

run_lab replay unsync "$schedule" --format json
[ "$status" -eq 1 ] || fail "replay exited $status, expected 1 (it breaks): $(cat "$WORK/err")"
jq_expect '.finding == "lost-shot"'
jq_expect '[.steps[] | select(.breaks != null and (.breaks | test("a shot is lost")))] | length >= 1'
jq -c .steps "$WORK/out" >"$WORK/steps.first"
cpus_to_try="all"
command -v taskset >/dev/null && cpus_to_try="all one"
for cpus in $cpus_to_try; do
        for i in $(seq 20); do
                if [ "$cpus" = one ]; then
                        taskset -c 0 "$LAB" replay unsync "$schedule" --format json >"$WORK/out" 2>"$WORK/err"
                else
                        "$LAB" replay unsync "$schedule" --format json >"$WORK/out" 2>"$WORK/err"
                fi
                [ $? -eq 1 ] || fail "replay $i ($cpus CPUs) did not break: $(cat "$WORK/err")"
                jq -c .steps "$WORK/out" | cmp -s - "$WORK/steps.first" ||
                        fail "replay $i ($cpus CPUs) took other steps than the first"
        done
done

# The story in words: both read the same count, one write goes over the other.
run_lab replay unsync "$schedule"
grep -q "reads shots = 0" "$WORK/out" || fail "the story does not show the read: $(cat "$WORK/out")"
grep -q "a shot is lost" "$WORK/out" || fail "the story does not say a shot is lost"
grep -q "^broken: lost-shot" "$WORK/out" || fail "the replay does not end broken"
# --step waits for Enter after each step: with four Enters and then the end of input, four
# steps are shown and then the story stops.
printf '\n\n\n\n' | "$LAB" replay unsync "$schedule" --step >"$WORK/out" 2>&1
[ "$(grep -c '^ *[0-9]\+  ' "$WORK/out")" -eq 5 ] ||
        fail "--step did not stop after the Enters given: $(cat "$WORK/out")"

# --- deadlock: nobody can go on, and who holds what ---
run_lab explore deadlock --format json
[ "$status" -eq 1 ] || fail "explore deadlock exited $status"
jq_expect '.finding == "deadlock" and .preemptions <= 1'
jq_expect '.what | test("nobody can go on")'
jq_expect '.what | test("barista [12] waits for (grinder|machine_lock), which barista [12] holds")'
run_lab replay deadlock "$(jq -r .schedule "$WORK/out")"
[ "$status" -eq 1 ] || fail "replay deadlock exited $status"
grep -q "wants machine_lock, which barista [12] holds: waits" "$WORK/out" ||
        fail "the deadlock's story does not say who holds the machine: $(cat "$WORK/out")"

# --- check-then-act on an atomic: found by explore, whatever TSan makes of it ---
run_lab explore "$corpus/check-then-act.c" --budget 300 --format json
[ "$status" -eq 1 ] || fail "explore check-then-act.c exited $status: $(cat "$WORK/err")"
jq_expect '.finding == "lost-shot" or .finding == "collision"'
file_schedule=$(jq -r .schedule "$WORK/out")
run_lab replay "$corpus/check-then-act.c" "$file_schedule" --format json
[ "$status" -eq 1 ] || fail "replay check-then-act.c exited $status: $(cat "$WORK/err")"

# --- every racy scenario the scheduler can step is broken within 200 schedules ---
for s in unsync atomic-counter menu-unsync forgetful deadlock menu-rcu-early-free menu-rcu-stale-pointer \
        queue-ck-fifo-late-write; do
        run_lab explore "$s" --budget 200 --format json
        [ "$status" -eq 1 ] || fail "explore $s found nothing in 200 schedules (exit $status)"
done
run_lab explore menu-rcu-stale-pointer --format json
jq_expect '.finding == "freed-memory" and (.what | test("memory already freed at menu-rcu-stale-pointer.c:[0-9]+"))'
# The late write puts back the value already there: no effect shows, but the order was handed
# over, and every schedule, the default one too, catches the write at its line.
run_lab explore queue-ck-fifo-late-write --format json
jq_expect '.finding == "handed-over" and .found_at == 1 and .preemptions == 0'
line=$(grep -n 'the bug: the order is the operator' "$here/../scenarios/queue-ck-fifo-late-write.c" | cut -d: -f1)
jq_expect ".what | test(\"handed over at queue-ck-fifo-late-write.c:$line\")"

# --- every correct scenario stays clean within 60 schedules, random and 60 pct ---
for s in $("$LAB" list --format json | jq -r '.scenarios[] | select(.expect == "clean" and .no_schedule == null) | .name'); do
        for strategy in random pct; do
                run_lab explore "$s" --budget 60 --strategy "$strategy" --format json
                [ "$status" -eq 0 ] || fail "explore $s ($strategy) exited $status: $(jq -c '[.finding, .what, .schedule]' "$WORK/out") $(cat "$WORK/err")"
                jq_expect '.found == false and .not_judged == 0 and .schedules == 60'
        done
done
run_lab explore "$corpus/correct-ttas.c" --budget 100 --format json
[ "$status" -eq 0 ] || fail "a correct TTAS lock was reported broken: $(cat "$WORK/out")"

# Condition variables: turns taken in a loop stay right with three baristas; checked only once,
# a barista woken for another's turn goes to the machine (a signal may wake any waiter).
run_lab explore "$here/explore/turns-condvar.c" --baristas 3 --budget 60 --format json
[ "$status" -eq 0 ] || fail "turns on a condition variable, checked in a loop, broke: $(cat "$WORK/out") $(cat "$WORK/err")"
run_lab explore "$here/explore/turns-if.c" --baristas 3 --budget 300 --find collision --format json
[ "$status" -eq 1 ] || fail "turns checked once were not broken (exit $status): $(cat "$WORK/out") $(cat "$WORK/err")"
jq_expect '.finding == "collision" or (.findings | index("collision"))'

# pct prints its bound
run_lab explore unsync --strategy pct --depth 2 --budget 50
grep -q "1/(n\*k^(d-1)) = 0\.0" "$WORK/out" || fail "pct did not print its bound: $(cat "$WORK/out")"

# --- schedules that do not fit are refused, in one line ---
expect_usage_error "is not a schedule" replay unsync not-a-schedule
expect_usage_error "the schedule is for unsync, not mutex" replay mutex "$schedule"
fingerprint=$(echo "$schedule" | cut -d: -f4)
expect_usage_error "its steps differ" replay unsync "unsync:b3:o4:$fingerprint:1x4.2"
expect_usage_error "names barista 3, who cannot go there" replay unsync "unsync:b2:o4:$fingerprint:3"
expect_usage_error "its steps differ" replay unsync "unsync:b2:o4:000000:1x4.2"
# The same scenario file, changed: its schedule no longer fits.
sed 's/atomic_store(&busy, true);/atomic_store(\&busy, true);\n                atomic_store(\&busy, true);/' \
        "$corpus/check-then-act.c" >"$WORK/check-then-act.c"
cmp -s "$corpus/check-then-act.c" "$WORK/check-then-act.c" && fail "the file was not changed"
expect_usage_error "its steps differ" replay "$WORK/check-then-act.c" "$file_schedule"
expect_usage_error "the schedule is for student-check-then-act, not student-correct-ttas" \
        replay "$corpus/correct-ttas.c" "$file_schedule"

# --- what cannot be stepped says so, and nothing hangs ---
expect_usage_error "a shop's lesson is time" explore shop-parallel
expect_usage_error "other processes" explore shop-processes
expect_usage_error "unknown scenario" explore no-such-scenario
start=$(date +%s%N)
run_lab explore "$here/explore/plain-spin.c" --format json
[ "$status" -eq 3 ] || fail "a plain spin exited $status, expected 3: $(cat "$WORK/out") $(cat "$WORK/err")"
jq_expect '.unschedulable and (.schedules <= 2)'
within "$(seconds_since "$start")" 30 || fail "the plain spin took $(seconds_since "$start") s"
echo "ok: explore and replay"
