# Fairness, forced: with barista 1 held still while it waits (--hold-waiter), a queue lock never
# lets barista 2 overtake it and a test-and-set lock always does, in every schedule and on any
# machine. Then fair-lock's goal on both sides: a ticket lock passes, a test-and-set lock fails.
. "$(dirname "$0")/lib.sh"
need_jq
top=$(cd "$(dirname "$0")/../.." && pwd)

held() { # SCENARIO: a held timeline as check makes it
        run_lab timeline "$1" --pin --hold-waiter --baristas 2 --orders 400 --prep-ns 0 \
                --shot-ns 100000 --format json
        [ "$status" -eq 0 ] || fail "timeline $1 --hold-waiter exited $status: $(cat "$WORK/err")"
}
for lock in spin-ck-ticket spin-ck-mcs spin-ck-clh spin-ck-anderson; do
        held "$lock"
        jq_expect '.held_waiter.holds >= 5 and .held_waiter.overtaken == 0 and
                   .held_waiter.queued == .held_waiter.holds'
        echo "ok: $lock, fair: $(jq -c .held_waiter "$WORK/out")"
done
for lock in spin-c11-tas spin-c11-ttas spin-pthread; do
        held "$lock"
        jq_expect '.held_waiter.holds >= 5 and .held_waiter.overtaken == .held_waiter.holds'
        echo "ok: $lock, unfair: $(jq -c .held_waiter "$WORK/out")"
done
# The same on one CPU, where the two never run at once: the outcome is the lock's, not the
# scheduler's.
if command -v taskset >/dev/null; then
        first_cpu=$(taskset -pc $$ | sed 's/.*: *//; s/[,-].*//')
        one_cpu() { # SCENARIO
                taskset -c "$first_cpu" "$LAB" timeline "$1" --pin --hold-waiter --baristas 2 \
                        --orders 400 --prep-ns 0 --shot-ns 100000 --format json >"$WORK/out" 2>"$WORK/err" ||
                        fail "timeline $1 --hold-waiter on one CPU failed: $(cat "$WORK/err")"
        }
        one_cpu spin-ck-ticket
        jq_expect '.held_waiter.holds >= 5 and .held_waiter.queued == .held_waiter.holds'
        echo "ok: spin-ck-ticket on CPU $first_cpu alone, fair: $(jq -c .held_waiter "$WORK/out")"
        one_cpu spin-c11-tas
        jq_expect '.held_waiter.holds >= 5 and .held_waiter.overtaken == .held_waiter.holds'
        echo "ok: spin-c11-tas on CPU $first_cpu alone, unfair: $(jq -c .held_waiter "$WORK/out")"
fi
# Holding needs two baristas, and is not slow motion.
expect_usage_error "at least 2 baristas" timeline spin-ck-ticket --hold-waiter --baristas 1
expect_usage_error "--slow-motion" timeline unsync --hold-waiter --slow-motion

verdict_of() { # FILE EXERCISE
        "$LAB" check --format json --exercise "$2" "$1" >"$WORK/out" 2>"$WORK/err"
        jq -r '.files[0].verdict' "$WORK/out"
}
fairness() {
        jq -r '[.files[0].checks[] | select(.name == "fairness")][0].evidence' "$WORK/out"
}
verdict=$(verdict_of "$top/scenarios/spin-ck-ticket.c" fair-lock)
[ "$verdict" = passed ] ||
        fail "a ticket lock failed fair-lock: $(jq -c '.files[0].checks' "$WORK/out")"
echo "ok: spin-ck-ticket passes fair-lock: $(fairness)"
for starter in "$top/scenarios/spin-c11-tas.c"; do
        verdict=$(verdict_of "$starter" fair-lock)
        [ "$verdict" = failed ] || fail "$starter passed fair-lock: $(jq -c '.files[0].checks' "$WORK/out")"
        jq_expect '[.files[0].checks[] | select(.name == "fairness")][0].passed == false and
                   any(.files[0].hints[]; .id == "unfair")'
        echo "ok: $(basename "$starter") fails fair-lock: $(fairness)"
done
