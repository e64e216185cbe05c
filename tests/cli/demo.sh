# demo --fast runs the whole storyline to the end: the shop's three ways with their timelines,
# the race with its collisions drawn, TSan's line, the interleaving that loses a shot replayed,
# the fix, its cost, the deadlock caught.
. "$(dirname "$0")/lib.sh"

run_lab demo --fast
[ "$status" -eq 0 ] || fail "demo exited $status: $(cat "$WORK/err") $(cat "$WORK/out")"
out=$(cat "$WORK/out")
expect() {
        grep -qE -- "$1" "$WORK/out" || fail "demo does not show $2:
$out"
}
expect '^   sequential +~' "the sequential shop's lane"
expect '^   concurrent +[-~]' "the concurrent shop's lane"
expect '^   parallel 3 +[-~]' "the parallel shop's third lane"
# Slow motion forces these in every run: a collision marked on a lane, and shots lost.
expect "shots lost: [1-9]" "lost shots"
expect '^   barista [0-9]+ .*X' "unsync's collisions on its timeline"
# TSan's sentence wraps at the demo's width: read it with its lines joined.
joined=$(tr '\n' ' ' <"$WORK/out" | tr -s ' ')
# (Which of the shot's two racy writes comes first depends on the schedule, as in race_check.sh.)
echo "$joined" | grep -qE "data race on espresso_machine.(shots|last_barista) at src/kit/machine.h:[0-9]" ||
        fail "demo does not show TSan's line:
$out"
# explore's seed is fixed and a controlled run is one barista at a time: the same schedule, and
# a lost shot in its replay, on every run. The command the demo gives replays it here too.
expect '^2  The interleaving that loses a shot' "the interleaving scene"
expect '<- over barista [12].s 1: a shot is lost' "the replayed step that loses a shot"
schedule=$(sed -n 's/^     espresso-lab replay unsync \([^ ]*\) --step$/\1/p' "$WORK/out")
[ -n "$schedule" ] || fail "demo does not give the replay command:
$out"
"$LAB" replay unsync "$schedule" >"$WORK/replay" 2>&1
replayed=$?
[ "$replayed" -eq 1 ] && grep -q "a shot is lost" "$WORK/replay" ||
        fail "the demo's schedule $schedule did not lose a shot in replay (exit $replayed):
$(cat "$WORK/replay")"
expect "no report" "mutex clean under TSan"
expect "What the fix costs" "the cost"
expect "lock-order-inversion" "TSan's lock-order inversion"
expect "holds the grinder and waits for the espresso machine" "the watchdog catching the deadlock"
# Readable on a projector: nothing wider than 80 columns, no colour into a pipe.
awk 'length > 80 { print; bad = 1 } END { exit bad }' "$WORK/out" || fail "demo lines wider than 80 columns"
! grep -q $'\033' "$WORK/out" || fail "demo printed colour escapes into a pipe"
# The shop's timelines, side by side to one scale: on the left (waiting drinks) the sequential
# lane is the longest, concurrent the shortest. (On the right, working drinks, the lengths are
# not compared: this machine's speed drifts between runs by more than juggling could save, so
# the tests compare cores used for CPU drinks, in shop_cores.sh, not seconds.)
panel_width=41 # the indent and the left panel
left_length() { grep -E "^   $1 " "$WORK/out" | head -1 | cut -c1-$panel_width | sed 's/ *$//' | awk '{ print length }'; }
[ "$(left_length sequential)" -gt "$(left_length 'parallel 1')" ] &&
        [ "$(left_length 'parallel 1')" -gt "$(left_length concurrent)" ] ||
        fail "the waiting shop's lanes are not to one scale:
$out"
expect "waiting drinks +working drinks, to the same scale" "the two sides' headings"
expect '^   parallel 3 .{20,} parallel 3 +-' "the working shop's lanes beside the waiting shop's"
echo "ok: demo"
