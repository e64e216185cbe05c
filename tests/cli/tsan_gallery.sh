# The false-positive gallery: every suppression entry is still needed, none hides a real race,
# and without the annotations TSan reports correct code that uses ck, as the README says.
. "$(dirname "$0")/lib.sh"
need_jq
suppressions="$(dirname "$LAB")/tsan-suppressions"

run_lab race-check --format json
[ "$status" -eq 0 ] || fail "race-check exited $status: $(jq -c '.results[] | select(.match | not)' "$WORK/out")"
# Every entry matched at least once in some scenario.
entries=$(grep -v '^[[:space:]]*#' "$suppressions" | grep -v '^[[:space:]]*$')
[ -n "$entries" ] || fail "no entries in $suppressions"
while read -r entry; do
        count=$(jq --arg e "$entry" '[.results[].suppressed[] | select(.entry == $e) | .count] | add // 0' "$WORK/out")
        [ "$count" -gt 0 ] || fail "suppression '$entry' matched nothing: is it still needed?"
        echo "ok: '$entry' swallowed $count reports"
done <<<"$entries"
# With the suppressions on, the racy scenarios are still reported.
for racy in unsync atomic-counter forgetful menu-unsync; do
        jq_expect "any(.results[]; .scenario == \"$racy\" and .observed == \"race\")"
done
jq_expect 'any(.results[]; .scenario == "menu-unsync" and .first_report.variable == "menu")'

# Without the suppressions the ring's slot copy is reported: the entry is what keeps it clean.
run_lab race-check queue-ck-ring --no-suppressions --format json
[ "$status" -eq 1 ] || fail "race-check --no-suppressions queue-ck-ring exited $status, expected 1"
jq_expect '.results[0].observed == "race" and .suppressions == false'
jq_expect '.results[0].first_report.function == "_ck_ring_dequeue_sc"'

# Without the annotations, correct code using ck and liburcu looks racy.
run_lab race-check spin-ck-ticket queue-ck-fifo menu-rcu --no-annotations --runs 2 --format json
[ "$status" -eq 1 ] || fail "race-check --no-annotations exited $status, expected 1"
jq_expect 'all(.results[]; .observed == "race" and .runs_matched == 0) and .annotations == false'
echo "ok: without annotations: $(jq -c '[.results[] | {scenario, first: .first_report.variable}]' "$WORK/out")"
