# The lab explains itself: with no arguments, with --help on every command, and in its list.
. "$(dirname "$0")/lib.sh"
need_jq

run_lab
[ "$status" -eq 0 ] || fail "no arguments exited $status"
grep -q "espresso-lab demo" "$WORK/out" || fail "no arguments does not say what to try first"

for command in list run timeline race-check compare explain demo bench; do
        run_lab "$command" --help
        [ "$status" -eq 0 ] || fail "$command --help exited $status"
        grep -q "^usage: espresso-lab $command" "$WORK/out" || fail "$command --help has no usage line"
done

run_lab list
[ "$status" -eq 0 ] || fail "list exited $status"
grep -Eq "^unsync +none +race " "$WORK/out" || fail "list does not show unsync as racy: $(cat "$WORK/out")"
grep -Eq "^mutex +lock +clean " "$WORK/out" || fail "list does not show mutex as clean"

run_lab list --format json
[ "$status" -eq 0 ] || fail "list --format json exited $status"
jq_expect '[.scenarios[] | select(.name == "unsync" and .expect == "race" and .family == "none")] | length == 1'
jq_expect '[.scenarios[] | select(.name == "mutex" and .expect == "clean")] | length == 1'
jq_expect 'all(.scenarios[]; (.summary | length) > 0 and (.lesson | length) > 0)'
# A scenario says what it is: every spin-* scenario is a spinlock, no mutex is, and only
# spinlocks that hand over first come, first served are fair.
jq_expect 'all(.scenarios[] | select(.name | startswith("spin-")); .spinlock and .family == "lock")'
jq_expect 'all(.scenarios[] | select(.name | startswith("mutex")); .spinlock == false)'
jq_expect '[.scenarios[] | select(.fair) | .name] as $fair | ($fair | index("spin-ck-ticket")) != null and ($fair | index("spin-c11-tas")) == null'
echo "ok: help and list"
