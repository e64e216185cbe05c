# check on a handful of the corpus whose verdicts hold in every schedule: a race TSan sees in
# every run (nothing orders the baristas' shots), a correct mutex, a file that does not compile,
# a relock (even one barista is stuck), a fork bomb (contained, and nothing outlives it), and a
# check-then-act that a controlled schedule breaks every time.
# Also: findings name the student's lines, the file is never touched, JSON and CSV for graders.
. "$(dirname "$0")/lib.sh"
need_jq
corpus=$(cd "$(dirname "$0")/../check/corpus" && pwd)

# check_json FILE [ARGS...]: check --format json on FILE; verdict and first hint in $verdict, $hint.
check_json() {
        local file=$1
        shift
        run_lab check --format json "$@" "$file"
        jq -e '.files[0]' "$WORK/out" >/dev/null 2>&1 || fail "check $file printed no JSON (exit $status): $(cat "$WORK/err")"
        verdict=$(jq -r '.files[0].verdict' "$WORK/out")
        hint=$(jq -r '.files[0].hints[0].id // "none"' "$WORK/out")
}

sum_before=$(sha256sum "$corpus/no-lock.c")
check_json "$corpus/no-lock.c"
[ "$status" -eq 1 ] || fail "a racy file: exit $status, expected 1"
[ "$verdict" = failed ] && [ "$hint" = lost-update ] || fail "no-lock.c: $verdict/$hint, expected failed/lost-update"
line=$(grep -n 'machine_pull_shot(b)' "$corpus/no-lock.c" | head -1 | cut -d: -f1)
jq_expect ".files[0].race.variable | startswith(\"espresso_machine\")"
jq_expect "[.files[0].race.accesses[].line] | index($line) != null"
jq_expect '.files[0].race.accesses[0].code | contains("machine_pull_shot")'
jq_expect '[.files[0].checks[] | select(.name == "ThreadSanitizer")][0].passed == false'
[ "$(sha256sum "$corpus/no-lock.c")" = "$sum_before" ] || fail "check modified the student's file"
# The table names the student's file and line, with the code (checked from its folder, as a
# student would).
(cd "$corpus" && "$LAB" check no-lock.c >"$WORK/out" 2>"$WORK/err")
grep -qF "no-lock.c:$line" "$WORK/out" || fail "the table does not point at no-lock.c:$line: $(cat "$WORK/out")"
grep -q "hint \[lost-update\]" "$WORK/out" || fail "the table gives no hint: $(cat "$WORK/out")"
awk 'length > 80 { bad = 1 } END { exit bad }' "$WORK/out" || fail "check's table is wider than 80 columns"
echo "ok: a racy barista fails, pointed at its line $line, hint lost-update"

check_json "$corpus/correct-mutex.c"
[ "$status" -eq 0 ] && [ "$verdict" = passed ] && [ "$hint" = none ] ||
        fail "correct-mutex.c: exit $status, $verdict/$hint: $(jq -c '.files[0].checks' "$WORK/out")"
jq_expect '[.files[0].checks[] | select(.passed | not)] | length == 0'
jq_expect '[.files[0].checks[] | select(.name == "explore")][0].evidence | test("no controlled schedule of 200 broke it")'
jq_expect '[.files[0].checks[].name] | index("ThreadSanitizer") != null and index("stress, 1 barista") != null and index("stress, 2 baristas") != null'
echo "ok: a correct mutex passes every check"

check_json "$corpus/does-not-compile.c"
[ "$status" -eq 2 ] && [ "$verdict" = "does not compile" ] || fail "does-not-compile.c: exit $status, $verdict"
jq -r '.files[0].compiler_output' "$WORK/out" | grep -q "^$corpus/does-not-compile.c:[0-9]*:[0-9]*: error" ||
        fail "the compiler's error does not name the student's file: $(jq -r '.files[0].compiler_output' "$WORK/out")"
echo "ok: a file that does not compile: exit 2, the compiler's error naming it"

check_json "$corpus/relock.c"
[ "$verdict" = failed ] && [ "$hint" = relock ] || fail "relock.c: $verdict/$hint"
echo "ok: relocking a mutex: hint relock"

# What was there before (another check's, say) is not this check's to answer for.
ls -d /tmp/espresso-check.* 2>/dev/null | sort >"$WORK/dirs.before"
start=$(date +%s%N)
check_json "$corpus/fork-bomb.c"
[ "$verdict" = failed ] && [ "$hint" = runaway ] || fail "fork-bomb.c: $verdict/$hint: $(jq -c '.files[0].checks' "$WORK/out")"
sleep 0.2
leftovers=$(pgrep -f '/tmp/espresso-check\.' || true)
[ -z "$leftovers" ] || fail "processes outlived the check: $(ps -o pid,user,cmd -p $(echo $leftovers | tr ' ' ,))"
ls -d /tmp/espresso-check.* 2>/dev/null | sort >"$WORK/dirs.after"
left=$(comm -13 "$WORK/dirs.before" "$WORK/dirs.after")
[ -z "$left" ] || fail "check left its temporary directory: $left"
echo "ok: a fork bomb is contained in $(seconds_since "$start") s, nothing outlives it"

# A check-then-act on an atomic flag: TSan may see it or not, the stress runs may lose shots or
# not; a controlled schedule breaks it every time, and check gives it with the replay command,
# which shows the same break.
check_json "$corpus/check-then-act.c"
[ "$verdict" = failed ] || fail "check-then-act.c: $verdict: $(jq -c '.files[0].checks' "$WORK/out")"
jq_expect '.files[0].explored == "lost-shot" or .files[0].explored == "collision"'
jq_expect '[.files[0].checks[] | select(.name == "explore")][0] | (.passed | not) and
           (.evidence | test("espresso-lab replay .*check-then-act.c student-check-then-act:b2:o4:[0-9a-f]{6}:"))'
schedule=$(jq -r '.files[0].schedule' "$WORK/out")
run_lab replay "$corpus/check-then-act.c" "$schedule" --format json
[ "$status" -eq 1 ] || fail "the schedule check gave does not break the file (exit $status): $(cat "$WORK/err")"
jq_expect "[.finding] | inside([\"lost-shot\", \"collision\"])"
echo "ok: a check-then-act: explore's schedule, and the replay command that shows it"

# Graders: one CSV row per file, and the exit status of the worst.
run_lab check --format csv "$corpus/correct-mutex.c" "$corpus/no-lock.c"
[ "$status" -eq 1 ] || fail "check of a passing and a failing file: exit $status, expected 1"
[ "$(wc -l <"$WORK/out")" -eq 3 ] || fail "CSV: expected a header and 2 rows: $(cat "$WORK/out")"
head -1 "$WORK/out" | grep -q '^file,verdict,' || fail "CSV header: $(head -1 "$WORK/out")"
grep -q "correct-mutex.c,passed," "$WORK/out" && grep -q "no-lock.c,failed,.*,lost-update," "$WORK/out" ||
        fail "CSV rows: $(cat "$WORK/out")"
echo "ok: CSV, one row per file"

expect_usage_error "at least one" check
expect_usage_error "unknown exercise 'nope'" check --exercise nope "$corpus/no-lock.c"
run_lab check "$WORK/missing.c"
[ "$status" -eq 2 ] && grep -q "cannot read" "$WORK/out" || fail "a missing file: exit $status: $(cat "$WORK/out")"
echo "ok: usage errors"
