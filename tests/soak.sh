#!/usr/bin/env bash
# Soak: is the test suite deterministic? ./lab soak [N] sets up the lab's packages, then runs this.
#
#   tests/soak.sh [N]
#
# It builds a fresh clone of the committed HEAD in a temporary directory under /tmp (uncommitted
# edits and your own build trees do not count), then runs the default preset's suite N times
# (default 10) on a quiet machine, 3 more times while a busy loop per CPU keeps every CPU busy,
# and the dev preset's suite (ASan+UBSan) once. It prints one row per test with its pass, fail and
# skip counts in each of the three, then the totals.
#
# Exit status: 0 when no run had a failure and no quiet run a skip (a test that skips on a quiet
# machine does not test anything there); 1 otherwise, with one line saying which rule broke; 2 on
# bad usage (N not a positive whole number), with one line.
#
# Every run's ctest output, JUnit report and LastTest.log stay in the temporary directory, whose
# path is printed; the clone stays beside them when the soak did not pass, to look into.
#
# Environment:
#   SOAK_TESTS=REGEX   run only the tests matching REGEX (ctest -R), to try the soak quickly,
#                      e.g. SOAK_TESTS='unit|cli.help' tests/soak.sh 2
set -euo pipefail

LOADED_RUNS=3

usage_error() {
        echo "soak: $*" >&2
        exit 2
}

quiet_runs=10
if [ $# -gt 1 ]; then
        usage_error "one argument at most (the number of quiet runs), got $#: $*"
elif [ $# -eq 1 ]; then
        case "$1" in
        -h | --help)
                echo "usage: ./lab soak [N]   (N quiet runs of the default suite, default 10; SOAK_TESTS=REGEX runs only some tests)"
                exit 0
                ;;
        esac
        # Six digits at most: bash arithmetic would wrap a longer one silently.
        if ! [[ "$1" =~ ^[0-9]{1,6}$ ]] || [ $((10#$1)) -lt 1 ]; then
                usage_error "N must be a positive whole number (quiet runs), not '$1'"
        fi
        quiet_runs=$((10#$1))
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
commit=$(git -C "$repo" rev-parse HEAD)
filter=()
[ -z "${SOAK_TESTS:-}" ] || filter=(-R "$SOAK_TESTS")

work=$(mktemp -d /tmp/espresso-soak.XXXXXX)
clone=$work/clone
logs=$work/logs
mkdir "$logs"
results=$logs/results.tsv # kind, run, test, pass|fail|skip, why: one line per test per run
: >"$results"
started=$SECONDS

duration() { # seconds -> 3m07s
        printf '%dm%02ds' $(($1 / 60)) $(($1 % 60))
}

# The CPU hog: one busy loop per CPU. Started from a script, background jobs ignore Ctrl-C, so
# the traps below stop it on every way out.
hog=()
start_hog() {
        local cpu
        for ((cpu = 0; cpu < $(nproc); cpu++)); do
                bash -c 'while :; do :; done' &
                hog+=($!)
        done
}
hog_cpus() { # seconds: how many CPUs the hog has had on average, to show the load was real
        local pid ticks=0
        for pid in "${hog[@]}"; do
                ticks=$((ticks + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
        done
        awk -v t=$ticks -v hz="$(getconf CLK_TCK)" -v s="$1" 'BEGIN { printf "%.1f", (s > 0 ? t / hz / s : 0) }'
}
stop_hog() {
        if [ ${#hog[@]} -gt 0 ]; then
                kill "${hog[@]}" 2>/dev/null || true
                wait "${hog[@]}" 2>/dev/null || true
                hog=()
        fi
}
# ctest runs in the background, in a session of its own. In the foreground a Ctrl-C would not
# stop the soak: bash acts on one only when its foreground command dies of it, and ctest does
# not; it records the test the Ctrl-C killed as failed and goes on. While bash waits for a
# background job its trap runs at once, and ctest's own process group lets the trap end ctest
# together with the test it is running.
ctest_pid=
stop_ctest() {
        if [ -n "$ctest_pid" ]; then
                kill -TERM -- "-$ctest_pid" 2>/dev/null || true
                wait "$ctest_pid" 2>/dev/null || true
                ctest_pid=
        fi
}
trap 'stop_ctest; stop_hog' EXIT
trap 'stop_ctest; stop_hog; echo "soak: interrupted; logs in $logs, clone kept in $clone" >&2; trap - EXIT; exit 130' INT TERM

# The tests a preset's suite has, one name a line, in ctest's order: a test that gives no result
# in a run (ctest died, the preset did not build) then still counts, as a failure.
list_tests() { # preset
        ctest --preset "$1" -N --show-only=json-v1 "${filter[@]}" | jq -r '.tests[].name'
}

# One run's outcomes, read from ctest's JUnit report rather than its console: with
# outputOnFailure the console carries the tests' own output, which may look like a result line,
# while in the report that output is escaped text inside <system-out>, so every line that starts
# with <testcase or <skipped is ctest's. CTest's JUnit statuses: run (passed), fail (failed,
# timed out, crashed), disabled, and notrun, which is a skip when its message names a skip rule
# (SKIP_RETURN_CODE=77, SKIP_REGULAR_EXPRESSION_MATCHED) and a failure otherwise (the executable
# missing, a fixture failed), as ctest itself counts it. Why a test failed (Timeout, SEGFAULT,
# Failed...) is only on the console, in the summary ctest prints after all test output.
# Prints: test, pass|fail|skip, why; the expected tests first, in order.
tally_run() { # expected-tests junit.xml console.out
        awk -v OFS='\t' '
        function unxml(s) {
                gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s)
                gsub(/&apos;/, "\047", s); gsub(/&amp;/, "\\&", s)
                return s
        }
        function attr(line, key) {
                if (!match(line, " " key "=\"[^\"]*\""))
                        return ""
                return unxml(substr(line, RSTART + length(key) + 3, RLENGTH - length(key) - 4))
        }
        function settle() {
                if (name == "")
                        return
                if (status == "run")
                        outcome[name] = "pass"
                else if (status == "disabled" || (status == "notrun" && message ~ /^SKIP_/))
                        outcome[name] = "skip"
                else
                        outcome[name] = "fail"
                if (!(name in why))
                        why[name] = (status == "notrun" ? message : status == "disabled" ? "Disabled" : "")
                if (!(name in expected))
                        extra[++extras] = name
                name = ""
        }
        FILENAME == ARGV[1] { expected[$0] = 1; order[++tests] = $0; next }
        FILENAME == ARGV[2] && /^[ \t]*<testcase / {
                settle(); name = attr($0, "name"); status = attr($0, "status"); message = ""; next
        }
        FILENAME == ARGV[2] && /^[ \t]*<skipped / { message = attr($0, "message"); next }
        FILENAME == ARGV[3] {
                settle()
                # The last summary wins: a test could print the heading itself.
                if ($0 == "The following tests FAILED:") { summary = 1; delete reason; next }
                if (summary && match($0, /^[ \t]*[0-9]+ - .* \([^()]*\)$/)) {
                        line = $0; sub(/^[ \t]*[0-9]+ - /, "", line)
                        cause = line; sub(/.* \(/, "", cause); sub(/\)$/, "", cause)
                        sub(/ \([^()]*\)$/, "", line)
                        reason[line] = cause
                        next
                }
                summary = 0
        }
        END {
                settle()
                for (i = 1; i <= tests; i++) {
                        t = order[i]
                        if (t in outcome)
                                print t, outcome[t], (t in reason ? reason[t] : why[t])
                        else
                                print t, "fail", "no result"
                }
                for (i = 1; i <= extras; i++)
                        print extra[i], outcome[extra[i]], (extra[i] in reason ? reason[extra[i]] : why[extra[i]])
        }' "$1" "$2" "$3"
}

run_suite() { # preset kind run-name (from the clone)
        local preset=$1 kind=$2 run=$3 begun=$SECONDS
        # ctest exits non-zero when a test fails: that is what the soak counts, not a reason to stop.
        # (Why in the background: see stop_ctest.)
        setsid ctest --preset "$preset" "${filter[@]}" --output-junit "$logs/$run.xml" >"$logs/$run.out" 2>&1 &
        ctest_pid=$!
        wait "$ctest_pid" || true
        ctest_pid=
        cp "$(binary_dir "$preset")/Testing/Temporary/LastTest.log" "$logs/$run.LastTest.log" 2>/dev/null || true
        [ -f "$logs/$run.xml" ] || : >"$logs/$run.xml"
        tally_run "$logs/tests-$preset.txt" "$logs/$run.xml" "$logs/$run.out" |
                awk -v OFS='\t' -v kind="$kind" -v run="$run" '{ print kind, run, $0 }' >>"$results"
        awk -F'\t' -v run="$run" -v took="$(duration $((SECONDS - begun)))" '
                $2 == run { n[$4]++ }
                END { printf "  %-10s %3d passed %3d failed %3d skipped   %s\n", run, n["pass"], n["fail"], n["skip"], took }
        ' "$results"
}

. "$(dirname "$0")/cpus.sh" # busy_cpus

binary_dir() { # preset: where its presets put the build
        case "$1" in
        default) echo "$clone/build" ;;
        dev) echo "$clone/build-dev" ;;
        esac
}

# configure and build a preset in the clone, and list its tests; 1 when it did not build.
build_preset() { # preset
        cmake --preset "$1" >"$logs/configure-$1.log" 2>&1 &&
                list_tests "$1" >"$logs/tests-$1.txt" 2>>"$logs/configure-$1.log" &&
                cmake --build --preset "$1" >"$logs/build-$1.log" 2>&1
}

echo "soak: commit $(git -C "$repo" log -1 --format='%h %<(64,trunc)%s' "$commit" | sed 's/ *$//')"
[ -z "$(git -C "$repo" status --porcelain --untracked-files=no)" ] ||
        echo "soak: note: uncommitted changes in $repo are not part of this soak"
echo "soak: logs in $logs"
git clone --quiet --no-checkout "$repo" "$clone" >"$logs/clone.log" 2>&1
git -C "$clone" -c advice.detachedHead=false checkout --quiet --detach "$commit" >>"$logs/clone.log" 2>&1
cd "$clone"

echo "soak: building the default preset"
if ! build_preset default; then
        echo "soak: FAIL: the default preset did not configure or build (see $logs); clone kept in $clone" >&2
        exit 1
fi
if [ ! -s "$logs/tests-default.txt" ]; then
        rm -rf "$work" # nothing ran: nothing to keep
        usage_error "SOAK_TESTS='${SOAK_TESTS:-}' matches no test"
fi

busy=$(busy_cpus 1)
echo "soak: the default suite ($(wc -l <"$logs/tests-default.txt") tests) x$quiet_runs on a quiet machine ($busy of $(nproc) CPUs busy)"
awk -v busy="$busy" 'BEGIN { exit !(busy >= 0.5) }' &&
        echo "soak: note: the machine is not quiet: something else keeps $busy CPUs busy"
for ((i = 1; i <= quiet_runs; i++)); do
        run_suite default quiet "$(printf 'quiet-%0*d' ${#quiet_runs} "$i")"
done

echo "soak: the default suite x$LOADED_RUNS with every CPU kept busy ($(nproc) busy loops)"
start_hog
loaded_from=$EPOCHREALTIME
for ((i = 1; i <= LOADED_RUNS; i++)); do
        run_suite default loaded "loaded-$i"
done
hogged=$(hog_cpus "$(awk -v a="$loaded_from" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')")
stop_hog
echo "  the busy loops had $hogged CPUs on average"

echo "soak: building the dev preset (ASan+UBSan), then its suite x1"
if build_preset dev; then
        run_suite dev dev dev-1
else
        # No results then: every test counts as failed in the dev run.
        echo "soak: the dev preset did not configure or build (see $logs)"
        [ -s "$logs/tests-dev.txt" ] || cp "$logs/tests-default.txt" "$logs/tests-dev.txt"
        awk -v OFS='\t' '{ print "dev", "dev-1", $0, "fail", "not built" }' "$logs/tests-dev.txt" >>"$results"
fi

# The table: one row per test (the default suite's, then any only dev has), pass/fail/skip in
# each kind of run; "-" where a preset has no such test. Then the totals, and where each failure
# and quiet skip happened, with ctest's reason, to find in that run's log.
echo
awk -F'\t' -v q="$quiet_runs" -v l="$LOADED_RUNS" '
        FILENAME ~ /tests-default.txt$/ { has["quiet", $0] = has["loaded", $0] = 1; add($0); next }
        FILENAME ~ /tests-dev.txt$/ { has["dev", $0] = 1; add($0); next }
        {
                kind = $1; t = $3; n[kind, t, $4]++; total[kind, $4]++
                if ($4 == "fail" || ($4 == "skip" && kind == "quiet")) {
                        what = ($4 == "skip" ? "skipped" : "failed") ($5 == "" ? "" : " (" $5 ")")
                        if (!((t, what) in runs)) { events[t] = events[t] SUBSEP what; runs[t, what] = $2 }
                        else runs[t, what] = runs[t, what] ", " $2
                }
        }
        function add(t) { if (!(t in seen)) { seen[t] = 1; row[++rows] = t; if (length(t) > w) w = length(t) } }
        function cells(kind, t) {
                if (!has[kind, t])
                        return sprintf("%5s%5s%5s  ", "-", "-", "-")
                return sprintf("%5d%5d%5d  ", n[kind, t, "pass"], n[kind, t, "fail"], n[kind, t, "skip"])
        }
        END {
                if (w < 5) w = 5
                printf "%-*s  %-17s%-17s%-17s\n", w, "", "quiet x" q, "loaded x" l, "dev x1"
                printf "%-*s ", w, "test"
                for (k = 0; k < 3; k++) printf " pass fail skip  "
                printf "\n"
                for (i = 1; i <= rows; i++)
                        printf "%-*s %s%s%s\n", w, row[i], cells("quiet", row[i]), cells("loaded", row[i]), cells("dev", row[i])
                printf "%-*s ", w, "total"
                split("quiet loaded dev", kinds, " ")
                for (k = 1; k <= 3; k++)
                        printf "%5d%5d%5d  ", total[kinds[k], "pass"], total[kinds[k], "fail"], total[kinds[k], "skip"]
                printf "\n"
                for (i = 1; i <= rows; i++) {
                        if (!(row[i] in events))
                                continue
                        k = split(substr(events[row[i]], 2), said, SUBSEP)
                        line = ""
                        for (j = 1; j <= k; j++)
                                line = line (j > 1 ? "; " : "") said[j] " in " runs[row[i], said[j]]
                        printf "  %s: %s\n", row[i], line
                }
        }' "$logs/tests-default.txt" "$logs/tests-dev.txt" "$results" | sed 's/ *$//'
echo

read -r failures quiet_skips <<<"$(awk -F'\t' '
        $4 == "fail" { f++ } $4 == "skip" && $1 == "quiet" { s++ } END { print f + 0, s + 0 }' "$results")"
echo "soak: took $(duration $((SECONDS - started))); logs in $logs"
if [ "$failures" -eq 0 ] && [ "$quiet_skips" -eq 0 ]; then
        rm -rf "$clone"
        echo "soak: deterministic: no failures in $((quiet_runs + LOADED_RUNS + 1)) runs, no skips in the quiet runs"
        exit 0
fi
rules=()
[ "$failures" -eq 0 ] || rules+=("$failures failed $([ "$failures" -eq 1 ] && echo result || echo results) (the rule: no failures in any run)")
[ "$quiet_skips" -eq 0 ] || rules+=("$quiet_skips $([ "$quiet_skips" -eq 1 ] && echo skip || echo skips) in the quiet runs (the rule: none there)")
echo "soak: clone kept in $clone"
echo "soak: FAIL: ${rules[0]}${rules[1]:+; ${rules[1]}}" >&2
exit 1
