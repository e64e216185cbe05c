# fair-lock's goal on both sides: a ticket lock passes, a test-and-set lock fails on fairness.
# Who overtakes whom is only seen with both baristas really running at once, so this needs two
# idle CPUs, and skips without them (as check itself then declines to judge).
. "$(dirname "$0")/lib.sh"
need_jq
need_idle_cpus 2 "fair-lock's fairness"
top=$(cd "$(dirname "$0")/../.." && pwd)

verdict_of() { # FILE EXERCISE
        "$LAB" check --format json --exercise "$2" "$1" >"$WORK/out" 2>"$WORK/err"
        jq -r '.files[0].verdict' "$WORK/out"
}
fairness() {
        jq -r '[.files[0].checks[] | select(.name == "fairness")][0].evidence' "$WORK/out"
}
# check says when other work took the CPUs while it measured: that is a skip, not a verdict.
not_judged() {
        if fairness | grep -q "not judged"; then
                echo "skipped: the CPUs got busy during the check: $(fairness)"
                exit 77
        fi
}
verdict=$(verdict_of "$top/scenarios/spin-ck-ticket.c" fair-lock)
not_judged
[ "$verdict" = passed ] ||
        fail "a ticket lock failed fair-lock: $(jq -c '.files[0].checks' "$WORK/out")"
echo "ok: spin-ck-ticket passes fair-lock: $(fairness)"
verdict=$(verdict_of "$top/scenarios/spin-c11-tas.c" fair-lock)
not_judged
[ "$verdict" = failed ] &&
        jq -e '[.files[0].checks[] | select(.name == "fairness")][0].passed == false' "$WORK/out" >/dev/null ||
        fail "a test-and-set lock passed fair-lock's fairness: $(jq -c '.files[0].checks' "$WORK/out")"
echo "ok: spin-c11-tas fails fair-lock: $(fairness)"
