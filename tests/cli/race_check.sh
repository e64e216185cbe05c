# race-check finds the race in unsync, names the shot counter, and nothing in mutex: every run.
. "$(dirname "$0")/lib.sh"
need_jq

run_lab race-check unsync mutex --runs 3 --format json
[ "$status" -eq 0 ] || fail "race-check exited $status: $(cat "$WORK/err") $(cat "$WORK/out")"
jq_expect '.results | length == 2'
jq_expect '.results[0] | .scenario == "unsync" and .expect == "race" and .observed == "race" and .match'
jq_expect '.results[0] | .reports >= 1 and .runs == 3 and .runs_matched == 3'
# Which of the shot's two racy writes TSan reports first depends on which thread catches the
# other first: the shot counter or the last barista's mark, both in machine_count_shot.
jq_expect '.results[0].first_report | .kind == "data race" and
           (.variable == "espresso_machine.shots" or .variable == "espresso_machine.last_barista")'
jq_expect '.results[0].first_report.location | test("^src/kit/machine.h:[0-9]+$")'
jq_expect '.results[1] | .scenario == "mutex" and .observed == "clean" and .reports == 0'
jq_expect '.results[1] | .first_report == null and .match and .runs_matched == 3'

run_lab race-check unsync
[ "$status" -eq 0 ] || fail "table race-check exited $status"
grep -qE "data race on espresso_machine.(shots|last_barista) at src/kit/machine.h:[0-9]+ \(machine_count_shot\), called from scenarios/unsync.c:[0-9]+" "$WORK/out" ||
        fail "table does not point at the line: $(cat "$WORK/out")"

# Without its TSan twin beside it, race-check says what is missing and fails as a check.
cp "$LAB" "$WORK/espresso-lab"
"$WORK/espresso-lab" race-check unsync >"$WORK/out" 2>"$WORK/err"
[ $? -eq 1 ] || fail "race-check without espresso-lab-tsan did not exit 1"
grep -q "espresso-lab-tsan" "$WORK/err" || fail "race-check did not name the missing binary"
echo "ok: race-check"
