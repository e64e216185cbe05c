# What Helgrind and DRD are told, and that each thing told is needed and hides nothing real.
#
# - ck's lock words (annotate_atomic_only) and ck's locks as writer locks: spin-ck-fas and
#   spin-ck-mcs are clean told and racy not told; forgetful, the same lock skipped on some
#   orders, is found told.
# - Each entry of valgrind-suppressions matches in a run of the scenario it is for (valgrind -s
#   counts it), and the broken twins are still found with every entry on.
# Only what holds in every schedule is asserted: the ring holds 1023 orders and the run places
# 5000, so the operator copies orders out (and the barista copies into slots handed back) while
# the barista still works, and no annotation orders those copies; every reader's read-side
# section loads the grace-period counter that each of the manager's synchronize_rcu() stores.
. "$(dirname "$0")/lib.sh"
need_jq
started=$(date +%s%N)
valgrind_twin="$LAB-valgrind"
[ -x "$valgrind_twin" ] || fail "no Valgrind twin beside $LAB (./lab test installs valgrind)"
suppressions="$(dirname "$LAB")/valgrind-suppressions"

cell() { echo ".subjects[] | select(.name == \"$1\") | .cells[] | select(.detector == \"$2\" and .told == $3)"; }

run_lab detectors spin-ck-fas spin-ck-mcs forgetful --detectors helgrind,drd --format json
[ "$status" -eq 0 ] || fail "detectors exited $status: $(cat "$WORK/err")"
for d in helgrind drd; do
        for s in spin-ck-fas spin-ck-mcs; do
                jq_expect "$(cell $s $d true) | .verdict == \"clean\" and .reports == 0" ||
                        fail "$d reported $s told: $(jq -c "$(cell $s $d true)" "$WORK/out")"
                jq_expect "$(cell $s $d false) | .verdict == \"race\"" ||
                        fail "$d saw no race on $s untold: the annotations would not be needed"
        done
        jq_expect "$(cell forgetful $d true) | .outcome == \"TP\" and .at_bug" ||
                fail "$d missed forgetful's shot without the lock, told: $(jq -c "$(cell forgetful $d true)" "$WORK/out")"
done

# Each suppression is used by the run of the scenario it is for, by the tool it is for.
used() { # TOOL SCENARIO: valgrind's list of the suppressions used, one "COUNT NAME" a line
        ESPRESSO_TOOL_SLOWDOWN=10 valgrind --tool="$1" -s --free-is-write=yes \
                --suppressions="$suppressions" "$valgrind_twin" run "$2" --baristas 1 \
                --orders 5000 --format json 2>&1 >/dev/null |
                sed -n 's/^--[0-9]*-- used_suppression: *\([0-9]*\) \(.*\) [^ ]*:[0-9]*$/\1 \2/p'
}
while IFS='|' read -r tool scenario entry; do
        used "$tool" "$scenario" >"$WORK/used"
        grep -qF " $entry" "$WORK/used" ||
                fail "'$entry' matched nothing in $scenario under $tool: is it still needed? used: $(cat "$WORK/used")"
done <<'EOF'
helgrind|queue-ck-ring|ck_ring copy out of a slot, published by the producer's index (Helgrind)
drd|queue-ck-ring|ck_ring copy out of a slot, published by the producer's index (DRD)
helgrind|queue-ck-ring|ck_ring copy into a slot, handed back by the consumer's index (Helgrind)
drd|queue-ck-ring|ck_ring copy into a slot, handed back by the consumer's index (DRD)
helgrind|menu-rcu|liburcu grace-period counter, stored by synchronize_rcu (Helgrind)
drd|menu-rcu|liburcu grace-period counter, stored by synchronize_rcu (DRD)
EOF
# Every entry of the file is in the list above.
entries=$(grep -c '^{' "$suppressions")
[ "$entries" -eq 6 ] || fail "valgrind-suppressions has $entries entries; each needs a line above"

# With every entry on, the scenarios they are for are clean and their broken twins still found.
run_lab detectors queue-ck-ring queue-ck-ring-peek menu-rcu menu-rcu-early-free --told-only \
        --detectors helgrind,drd --format json
[ "$status" -eq 0 ] || fail "detectors exited $status: $(cat "$WORK/err")"
for d in helgrind drd; do
        for s in queue-ck-ring menu-rcu; do
                jq_expect "$(cell $s $d true) | .outcome == \"TN\"" ||
                        fail "$d reported $s: $(jq -c "$(cell $s $d true)" "$WORK/out")"
        done
        for s in queue-ck-ring-peek menu-rcu-early-free; do
                jq_expect "$(cell $s $d true) | .outcome == \"TP\" and .at_bug" ||
                        fail "$d missed $s with the suppressions on: $(jq -c "$(cell $s $d true)" "$WORK/out")"
        done
done
echo "ok: what Helgrind and DRD are told, in $(seconds_since "$started") s"
