# timeline: every order of a short run, one lane per barista. The lab's own analysis is checked
# against the raw times it prints (counted again here with jq), and the drawings against both.
. "$(dirname "$0")/lib.sh"
need_jq
command -v xmllint >/dev/null || fail "xmllint (libxml2-utils) is needed"

# The most baristas at the machine at any moment, from the raw got/done times: a shot that ends
# when the next begins is a handover, not an overlap.
MOST_AT_MACHINE='[.lanes[].orders[] | [.got_ns, 1], [.done_ns, -1]] | sort_by(.[0], .[1])
        | reduce .[] as $e ({n: 0, most: 0}; .n += $e[1] | .most = ([.most, .n] | max)) | .most'
# In every lane: prepared, wanted, got and done the machine in that order, one order after another.
ORDERLY='all(.lanes[].orders[]; .prep_ns <= .want_ns and .want_ns <= .got_ns and .got_ns <= .done_ns)
        and ([.lanes[].orders | . as $o | range(1; length) | $o[.].prep_ns == $o[. - 1].done_ns] | all)'

# Correct locks: never two at the machine, in any run of short, tight orders. Plain runs this
# short sometimes have the baristas one after the other (on a busy machine, most do), so each lock
# also runs in slow motion, where a barista at the machine holds it until another wants it: there
# every run has baristas waiting while another is at the machine, proof that the lock was put to
# the test.
never_two() { # scenario, then the timeline's options
        local scenario=$1 most
        shift
        run_lab timeline "$scenario" --orders 1500 --prep-ns 2000 --shot-ns 1000 --format json "$@"
        [ "$status" -eq 0 ] || fail "timeline $scenario $* exited $status: $(cat "$WORK/err")"
        most=$(jq "$MOST_AT_MACHINE" "$WORK/out")
        [ "$most" -eq 1 ] || fail "$scenario $*: $most baristas at the machine at once"
        jq_expect '.most_at_machine == 1 and .overlapping_shots == 0 and (.crowded | length) == 0'
        jq_expect '.baristas == 3 and .unrecorded == 0 and ([.lanes[].orders | length] == [500, 500, 500])'
        jq_expect "$ORDERLY"
}
for scenario in mutex spin-ck-ticket spin-ck-mcs spin-c11-ttas deadlock-ordered; do
        for run in 1 2 3; do
                never_two "$scenario"
        done
        never_two "$scenario" --slow-motion
        jq_expect '.waited_for_another > 0'
        echo "ok: $scenario: never two at the machine in 4 runs of 1500 orders; in slow motion" \
             "$(jq .waited_for_another "$WORK/out") orders waited for another"
done

# Two group heads: two at once is allowed, never three.
run_lab timeline two-group-heads --baristas 4 --orders 400 --prep-ns 1000 --shot-ns 5000 --format json
[ "$status" -eq 0 ] || fail "timeline two-group-heads exited $status"
most=$(jq "$MOST_AT_MACHINE" "$WORK/out")
[ "$most" -le 2 ] || fail "two-group-heads: $most at the machine at once"
jq_expect '.machine_takes == 2 and .most_at_machine <= 2 and .overlapping_shots == 0'
echo "ok: two-group-heads: at most $most at the machine"

# unsync in slow motion: shots overlap in every run, and the lab marks them.
for run in 1 2 3; do
        run_lab timeline unsync --slow-motion --format json
        most=$(jq "$MOST_AT_MACHINE" "$WORK/out")
        [ "$most" -ge 2 ] || fail "unsync in slow motion: shots never overlapped (run $run)"
        jq_expect ".most_at_machine == $most and .overlapping_shots > 0 and (.crowded | length) > 0"
        jq_expect "$ORDERLY"
done
echo "ok: unsync in slow motion: up to $most at the machine, $(jq .overlapping_shots "$WORK/out") shots overlapped"

# The terminal drawing: 80 columns, a lane per barista, no colour into a pipe; collisions marked
# in unsync, none in mutex.
run_lab timeline unsync --slow-motion
[ "$status" -eq 0 ] || fail "timeline unsync exited $status"
awk 'length > 80 { exit 1 }' "$WORK/out" || fail "a line is wider than 80 columns:
$(cat "$WORK/out")"
! grep -q $'\033' "$WORK/out" || fail "colour escapes in output that is not a terminal"
[ "$(grep -c '^barista [123] ' "$WORK/out")" -eq 3 ] || fail "expected 3 lanes:
$(cat "$WORK/out")"
grep '^barista' "$WORK/out" | grep -q X || fail "unsync's collisions are not marked:
$(cat "$WORK/out")"
grep -q 'shots lost' "$WORK/out" || fail "the drawing does not say how many shots were lost"
run_lab timeline mutex --baristas 4
[ "$(grep -c '^barista [1234] ' "$WORK/out")" -eq 4 ] || fail "expected 4 lanes"
! grep '^barista' "$WORK/out" | grep -q X || fail "mutex shows a collision:
$(cat "$WORK/out")"
grep '^barista' "$WORK/out" | grep -q '#' || fail "mutex shows no shot:
$(cat "$WORK/out")"
run_lab timeline mutex --width 120
widest=$(awk '{ if (length > w) w = length } END { print w }' "$WORK/out")
[ "$widest" -gt 80 ] && [ "$widest" -le 120 ] || fail "--width 120 drew $widest columns"
# Narrow, every line wraps to fit; with more baristas than "barista N" fits, lanes keep their number.
run_lab timeline unsync --slow-motion --width 40
awk 'length > 40 { exit 1 }' "$WORK/out" || fail "--width 40 drew wider lines:
$(cat "$WORK/out")"
run_lab timeline mutex --baristas 120 --orders 120
grep -q '^120 ' "$WORK/out" || fail "barista 120's lane has lost its number"
echo "ok: terminal lanes fit their width, collisions marked only where they happened"

# Colour only on a terminal, and not when NO_COLOR is set.
if command -v script >/dev/null; then
        script -qec "'$LAB' timeline mutex" /dev/null >"$WORK/tty" </dev/null
        grep -q $'\033\\[' "$WORK/tty" || fail "no colour on a terminal"
        NO_COLOR=1 script -qec "'$LAB' timeline mutex" /dev/null >"$WORK/tty" </dev/null
        ! grep -q $'\033\\[' "$WORK/tty" || fail "colour although NO_COLOR is set"
        echo "ok: colour on a terminal, none with NO_COLOR"
fi

# SVG for slides: well-formed, a lane per barista, red only in the legend unless shots collided.
run_lab timeline unsync --slow-motion --svg "$WORK/unsync.svg"
run_lab timeline mutex --svg "$WORK/mutex.svg"
for svg in unsync mutex; do
        xmllint --noout "$WORK/$svg.svg" || fail "$svg.svg is not well-formed XML"
        [ "$(grep -c '>barista [123]<' "$WORK/$svg.svg")" -eq 3 ] || fail "$svg.svg lacks a lane"
done
[ "$(grep -c '#d62728' "$WORK/mutex.svg")" -eq 1 ] || fail "mutex.svg draws a collision"
[ "$(grep -c '#d62728' "$WORK/unsync.svg")" -gt 1 ] || fail "unsync.svg draws no collision"
echo "ok: SVG lanes, collisions drawn only for unsync"

# CSV: a row per order.
run_lab timeline mutex --orders 30 --format csv
[ "$(head -1 "$WORK/out")" = "barista,order,prep_ns,want_ns,got_ns,done_ns" ] || fail "CSV header: $(head -1 "$WORK/out")"
[ "$(tail -n +2 "$WORK/out" | awk -F, 'NF == 6' | wc -l)" -eq 30 ] || fail "expected 30 CSV rows"

# The shop: one barista juggling starts drinks before the last is done; sequential never does.
run_lab timeline shop-concurrent --format json
jq_expect '.baristas == 1 and ([.lanes[0].orders | . as $o | range(1; length) | $o[.].prep_ns < $o[. - 1].done_ns] | any)'
concurrent=$(jq .span_ns "$WORK/out")
run_lab timeline shop-sequential --format json
jq_expect "$ORDERLY"
jq_expect ".span_ns > 3 * $concurrent"
echo "ok: shop-concurrent juggles (span $concurrent ns), shop-sequential does one drink at a time ($(jq .span_ns "$WORK/out") ns)"

expect_usage_error "operator" timeline queue-ck-ring
expect_usage_error "menu" timeline menu-rcu
expect_usage_error "processes" timeline shop-processes
expect_usage_error "--width" timeline mutex --width 10
expect_usage_error "unknown option '--seconds'" timeline mutex --seconds 1
expect_usage_error "needs a scenario" timeline
expect_usage_error "unknown scenario 'nope'" timeline nope
echo "ok: timelines refused with one clear line where there is nothing to draw"
