# Helpers for the command-line tests. Each test script gets the espresso-lab binary as $1.
set -u
LAB=$1
shift
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() {
        echo "FAIL: $*" >&2
        exit 1
}

# run_lab ARGS...: runs the lab, leaving exit status in $status, stdout in $WORK/out,
# stderr in $WORK/err.
run_lab() {
        "$LAB" "$@" >"$WORK/out" 2>"$WORK/err"
        status=$?
}

# expect_usage_error "what it must mention" ARGS...: exit 2, nothing on stdout, exactly one
# line on stderr mentioning the problem.
expect_usage_error() {
        local mention=$1
        shift
        run_lab "$@"
        [ "$status" -eq 2 ] || fail "'$*' exited $status, expected 2 (stderr: $(cat "$WORK/err"))"
        [ ! -s "$WORK/out" ] || fail "'$*' printed to stdout: $(cat "$WORK/out")"
        local lines
        lines=$(wc -l <"$WORK/err")
        [ "$lines" -eq 1 ] || fail "'$*' printed $lines lines on stderr, expected 1: $(cat "$WORK/err")"
        grep -qF -- "$mention" "$WORK/err" || fail "'$*' said '$(cat "$WORK/err")', expected it to mention '$mention'"
}

# jq_expect FILTER: the JSON on stdout must satisfy FILTER (a jq expression that yields true).
jq_expect() {
        jq -e "$1" "$WORK/out" >/dev/null || fail "JSON does not satisfy: $1
$(cat "$WORK/out")"
}

need_jq() {
        command -v jq >/dev/null || fail "jq is needed (./lab test installs it)"
}

. "$(dirname "${BASH_SOURCE[0]}")/../cpus.sh" # busy_cpus

# need_idle_cpus N WHY: skips the test (exit 77, CTest's SKIP_RETURN_CODE) unless N CPUs are there
# and idle: what it measures needs them to itself, and on a busy machine no bound could tell a
# busy machine from a broken lab.
need_idle_cpus() {
        local want=$1 why=$2 cpus busy
        cpus=$(nproc)
        if [ "$cpus" -lt "$want" ]; then
                echo "skipped: $why needs $want CPUs, this machine has $cpus"
                exit 77
        fi
        busy=$(busy_cpus)
        if ! awk -v busy="$busy" -v cpus="$cpus" -v want="$want" 'BEGIN { exit !(cpus - busy >= want - 0.3) }'; then
                echo "skipped: $why needs $want idle CPUs; something else kept $busy of $cpus busy"
                exit 77
        fi
}

# wait_for_threads PID N: waits (up to 10 s) until process PID runs at least N threads, that is
# until its run has started and its signal handlers are in place.
wait_for_threads() {
        local pid=$1 want=$2 tries=0
        while [ "$(ls "/proc/$pid/task" 2>/dev/null | wc -l)" -lt "$want" ]; do
                kill -0 "$pid" 2>/dev/null || fail "process $pid ended before its run started"
                tries=$((tries + 1))
                [ "$tries" -lt 1000 ] || fail "process $pid never started $want threads"
                sleep 0.01
        done
}

# seconds_since START_NS: wall-clock seconds since a `date +%s%N` reading, with a fraction.
seconds_since() {
        awk -v start="$1" -v now="$(date +%s%N)" 'BEGIN { printf "%.3f", (now - start) / 1e9 }'
}

# within SECONDS LIMIT: true when SECONDS <= LIMIT (both may have fractions).
within() {
        awk -v s="$1" -v l="$2" 'BEGIN { exit !(s <= l) }'
}
