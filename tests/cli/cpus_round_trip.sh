# On an idle machine with two CPUs, compare measures how long a cache line takes between the two
# CPUs and back (bench repeatability uses the same measurement). It needs both CPUs at once: beside a busy process the
# ping-pong may not finish within its second, so it skips, saying so, when the CPUs are busy.
. "$(dirname "$0")/lib.sh"
need_jq
need_idle_cpus 2 "timing a cache line between two CPUs"

run_lab compare --scenarios mutex --baristas 1 --repeat 1 --seconds 0.05 --format json
[ "$status" -eq 0 ] || fail "compare exited $status: $(cat "$WORK/err")"
jq_expect '.machine.core_round_trip_ns | .before > 0 and .after > 0'
echo "ok: round trip $(jq -c .machine.core_round_trip_ns "$WORK/out")"
