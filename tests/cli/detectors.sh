# detectors: each detector's verdict on unsync, mutex and deadlock, told and not told; plain
# programs; a detector that is missing; the bounds. Only what holds in every schedule is
# asserted: a happens-before detector reports unsync's race whatever the interleaving (nothing
# orders two baristas' shots), and no detector may report mutex; whether deadlock really hangs
# depends on the schedule, so a detector without lock-order checks (DRD) may say hung or clean.
. "$(dirname "$0")/lib.sh"
need_jq
programs=$(cd "$(dirname "$0")/../detectors/programs" && pwd)

started=$(date +%s%N)
run_lab detectors unsync mutex deadlock --format json --svg "$WORK/chart.svg"
[ "$status" -eq 0 ] || fail "detectors exited $status: $(cat "$WORK/err")"
jq_expect '.schema == "espresso-lab detectors 1" and (.partial | not)'
# ./lab test installs gcc, libtsan2 and valgrind: every detector must be there.
jq_expect '[.detectors[] | select(.available | not)] == []' ||
        fail "a detector is missing: $(jq -c '.detectors' "$WORK/out")"
jq_expect '.subjects | map(.name) == ["unsync", "mutex", "deadlock"]'
for d in tsan-clang tsan-gcc helgrind drd; do
        cell() { echo ".subjects[] | select(.name == \"$1\") | .cells[] | select(.detector == \"$d\" and .told == $2)"; }
        for told in true false; do
                jq_expect "[$(cell unsync $told)] | length == 1"
                jq_expect "$(cell unsync $told) | .verdict == \"race\" and .outcome == \"TP\" and .at_bug" ||
                        fail "$d told=$told missed unsync's race: $(jq -c "$(cell unsync $told)" "$WORK/out")"
                jq_expect "$(cell unsync $told) | .first_where | test(\"unsync.c:[0-9]+$\")"
                jq_expect "$(cell mutex $told) | .verdict == \"clean\" and .outcome == \"TN\" and .reports == 0" ||
                        fail "$d told=$told reported mutex: $(jq -c "$(cell mutex $told)" "$WORK/out")"
                jq_expect "$(cell mutex $told) | .slowdown > 1 and .memory_ratio > 0"
        done
        jq_expect "$(cell deadlock true) | .verdict != \"error\""
        if [ "$d" = drd ]; then
                # DRD checks no lock order: it finds the deadlock only when the run hangs.
                jq_expect "$(cell deadlock true) | (.verdict == \"hung\" and .outcome == \"TP\") or (.verdict == \"clean\" and .outcome == \"FN\")"
        else
                jq_expect "$(cell deadlock true) | .outcome == \"TP\"" ||
                        fail "$d missed the lock-order inversion: $(jq -c "$(cell deadlock true)" "$WORK/out")"
        fi
done
# The runs are bounded: each well within detectors' kill bound, as the lab measured them.
jq_expect '[.subjects[].cells[] | select(.made) | .seconds] | all(. < 120)'
jq_expect '[.scores[] | select(.group == "overall" and .detector == "tsan-clang" and .told)][0] | .tp == 2 and .tn == 1 and .fp == 0 and .precision == 1'
xmllint --noout "$WORK/chart.svg" || fail "the chart is not well-formed"
grep -q "Precision and recall" "$WORK/chart.svg" || fail "the chart has no precision panel"

# Plain programs, with their own expect: lines, and --expect over them.
run_lab detectors --program "$programs/racy-counter.c" --program "$programs/locked-counter.c" --format csv
[ "$status" -eq 0 ] || fail "detectors --program exited $status: $(cat "$WORK/err")"
[ "$(grep -c '^racy-counter.c\|/racy-counter.c,' "$WORK/out")" -eq 4 ] ||
        fail "a program has one row per detector, told only: $(cat "$WORK/out")"
grep '/racy-counter.c,' "$WORK/out" | grep -v ',race,TP,' && fail "a detector missed the racy counter"
grep '/locked-counter.c,' "$WORK/out" | grep -v ',clean,TN,' && fail "a detector reported the locked counter"
run_lab detectors --program "$programs/locked-counter.c" --expect race --detectors tsan-clang --format json
jq_expect '.subjects[0] | .expect == "race" and .cells[0].outcome == "FN"'

# A detector that is not there is reported missing, not fatal: valgrind off the PATH, and a lab
# copied without its gcc and Valgrind twins.
PATH=/nonexistent "$LAB" detectors unsync --told-only --detectors tsan-clang,helgrind --format json \
        >"$WORK/out" 2>"$WORK/err" || fail "detectors without valgrind exited $?: $(cat "$WORK/err")"
jq_expect '.detectors[] | select(.name == "helgrind") | (.available | not) and (.missing | test("valgrind"))'
jq_expect '.subjects[0].cells[] | select(.detector == "helgrind") | (.made | not) and .outcome == "not run"'
jq_expect '.subjects[0].cells[] | select(.detector == "tsan-clang") | .outcome == "TP"'
cp "$LAB" "$LAB-tsan" "$(dirname "$LAB")/tsan-suppressions" "$WORK/"
"$WORK/espresso-lab" detectors unsync --told-only --format json >"$WORK/out" 2>"$WORK/err" ||
        fail "a lab without its twins exited $?: $(cat "$WORK/err")"
jq_expect '[.detectors[] | select(.available | not) | .name] == ["tsan-gcc", "helgrind", "drd"]'
jq_expect '.detectors[] | select(.name == "tsan-gcc") | .missing | test("libtsan2")'

# Bad subjects and options are refused in one line.
expect_usage_error "neither a scenario" detectors no-such-scenario
printf 'int main(void) { return 0; }\n' >"$WORK/plain.c"
expect_usage_error "expect: race" detectors --program "$WORK/plain.c"
expect_usage_error "unknown detector 'bogus'" detectors unsync --detectors bogus
expect_usage_error "'maybe' is not race" detectors unsync --expect maybe
echo "ok: detectors in $(seconds_since "$started") s"
