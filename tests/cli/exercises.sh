# The exercises: list, start (never over a file), graded hints; check --exercise on both sides:
# the guard-the-machine starter fails and the lab's mutex scenario passes. (fair-lock's goal:
# exercise_fairness.sh.)
. "$(dirname "$0")/lib.sh"
need_jq
top=$(cd "$(dirname "$0")/../.." && pwd)

run_lab exercise list
[ "$status" -eq 0 ] || fail "exercise list: exit $status"
count=$(awk 'NR > 1 && NF >= 3 && $1 != "Start"' "$WORK/out" | wc -l)
[ "$count" -ge 6 ] || fail "exercise list shows $count exercises, expected at least 6: $(cat "$WORK/out")"
for name in $(awk 'NR > 1 && NF >= 3 && $1 != "Start" { print $1 }' "$WORK/out"); do
        [ -f "$top/exercises/$name.c" ] || fail "exercise $name has no starter exercises/$name.c"
        grep -q "YOUR CODE" "$top/exercises/$name.c" || fail "exercises/$name.c marks no hole"
        for k in 1 2 3; do
                "$LAB" exercise hint "$name" $k | grep -q "hint $k of 3" || fail "exercise hint $name $k"
        done
done
expect_usage_error "not 1 to 3" exercise hint guard-the-machine 4
echo "ok: $count exercises, each with a starter and three hints"

mkdir "$WORK/mine"
run_lab exercise start guard-the-machine "$WORK/mine"
[ "$status" -eq 0 ] && cmp -s "$WORK/mine/guard-the-machine.c" "$top/exercises/guard-the-machine.c" ||
        fail "exercise start did not copy the starter (exit $status): $(cat "$WORK/err")"
echo "// my work" >>"$WORK/mine/guard-the-machine.c"
run_lab exercise start guard-the-machine "$WORK/mine"
[ "$status" -eq 2 ] && tail -1 "$WORK/mine/guard-the-machine.c" | grep -q "my work" ||
        fail "exercise start overwrote the student's file (exit $status)"
echo "ok: exercise start copies, and refuses to overwrite"

verdict_of() { # FILE EXERCISE
        "$LAB" check --format json --exercise "$2" "$1" >"$WORK/out" 2>"$WORK/err"
        jq -r '.files[0].verdict' "$WORK/out"
}
[ "$(verdict_of "$top/exercises/guard-the-machine.c" guard-the-machine)" = failed ] ||
        fail "the guard-the-machine starter passed: $(cat "$WORK/out")"
"$LAB" check --exercise guard-the-machine "$top/exercises/guard-the-machine.c" | grep -q "exercise hint guard-the-machine" ||
        fail "a failing exercise does not point at its hints"
[ "$(verdict_of "$top/scenarios/mutex.c" guard-the-machine)" = passed ] ||
        fail "the reference mutex.c failed guard-the-machine: $(jq -c '.files[0].checks' "$WORK/out")"
echo "ok: guard-the-machine: the starter fails, the reference passes"
