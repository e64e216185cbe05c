# Every scenario's TSan verdict is what it claims, in every run: the annotated ck locks are clean,
# forgetful and atomic-counter are racy despite the annotations.
. "$(dirname "$0")/lib.sh"
need_jq

run_lab race-check --runs 3 --format json
[ "$status" -eq 0 ] || fail "race-check exited $status: $(cat "$WORK/err")
$(jq -c '.results[] | select(.match | not)' "$WORK/out")"
jq_expect '.all_match and (.results | length) >= 17'
jq_expect 'all(.results[]; .runs_matched == 3)'
for racy in unsync atomic-counter forgetful menu-unsync; do
        jq_expect "any(.results[]; .scenario == \"$racy\" and .observed == \"race\" and .reports >= 1)"
done
jq_expect 'any(.results[]; .scenario == "atomic-counter" and .first_report.variable == "espresso_machine.last_barista")'
jq_expect 'any(.results[]; .scenario == "forgetful" and (.first_report.caller | startswith("scenarios/forgetful.c:")))'
jq_expect 'all(.results[] | select(.scenario | startswith("spin-ck-")); .observed == "clean" and .reports == 0)'
# The lock scenarios are clean by annotation, not by suppression.
if grep -v '^[[:space:]]*#' "$(dirname "$LAB")/tsan-suppressions" | grep -qiE 'spinlock|mutex|_lock'; then
        fail "tsan-suppressions has a lock entry"
fi
echo "ok: $(jq '.results | length' "$WORK/out") scenarios as expected, 3 runs each"
