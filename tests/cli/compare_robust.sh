# compare holds up: scenarios that deadlock by design are left out, saying so; a cell whose
# process crashes costs that cell only; SIGINT and SIGTERM report the cells finished, marked
# partial, and leave no process behind; files are checked before anything is measured, and
# written whole or not at all.
. "$(dirname "$0")/lib.sh"
need_jq
command -v xmllint >/dev/null || fail "xmllint is needed (./lab test installs libxml2-utils)"
command -v pgrep >/dev/null || fail "pgrep is needed (procps)"
ulimit -c 0 # a cell is killed with SIGABRT below: no core file

# Every cell of the grids below has 3 baristas: its process has 4 threads while it measures,
# which tells it from the warm-up's (2), the TSan slowdown's native run (3) and the TSan twin
# (another name). Six cells of 0.3 s: a signal sent while one measures finds the sweep far
# from its end, whatever the schedule.
GRID=(--scenarios "mutex,mutex-adaptive" --baristas 3 --shot-ns "0,100,200" --repeat 1 --seconds 0.3)

# measuring_cell PID: prints the pid of compare PID's child that is measuring a cell, if any.
measuring_cell() {
        local child
        for child in $(pgrep -P "$1"); do
                [ "$(cat "/proc/$child/comm" 2>/dev/null)" = espresso-lab ] &&
                        [ "$(ls "/proc/$child/task" 2>/dev/null | wc -l)" -eq 4 ] &&
                        echo "$child" && return
        done
}

# wait_for_cells PID N: waits until compare PID has been seen measuring N different cells, so
# that the first N - 1 have finished, and records every child of it seen in $WORK/children.
# Fails if compare ends first, or after a minute.
wait_for_cells() {
        local pid=$1 want=$2 seen="" child
        for _ in $(seq 3000); do
                pgrep -P "$pid" >>"$WORK/children"
                child=$(measuring_cell "$pid")
                if [ -n "$child" ] && ! grep -qw "$child" <<<"$seen"; then
                        seen="$seen $child"
                        [ "$(wc -w <<<"$seen")" -ge "$want" ] && return
                fi
                kill -0 "$pid" 2>/dev/null || fail "compare ended before measuring $want cells: $(cat "$WORK/err")"
                sleep 0.02
        done
        fail "compare measured fewer than $want cells in a minute"
}

# crash_a_cell PID: kills one of compare PID's cells with SIGABRT while it measures (as an
# assert would; a SIGSEGV, ASan would catch and turn into an exit status). Stopped
# first, and killed only if it stopped with every barista still running, so the kill cannot
# come after the cell has finished (or find it a zombie, which ignores signals).
crash_a_cell() {
        local pid=$1 child state
        for _ in $(seq 3000); do
                pgrep -P "$pid" >>"$WORK/children"
                child=$(measuring_cell "$pid")
                if [ -n "$child" ] && kill -STOP "$child" 2>/dev/null; then
                        for _ in $(seq 200); do
                                state=$(cut -d' ' -f3 "/proc/$child/stat" 2>/dev/null)
                                case $state in T | t | Z | "") break ;; esac
                                sleep 0.01
                        done
                        if [ "$state" = T ] && [ "$(ls "/proc/$child/task" | wc -l)" -eq 4 ]; then
                                kill -ABRT "$child"
                                kill -CONT "$child"
                                return
                        fi
                        kill -CONT "$child" 2>/dev/null
                fi
                kill -0 "$pid" 2>/dev/null || fail "compare ended before a cell could be crashed"
                sleep 0.02
        done
        fail "found no cell to crash in a minute"
}

# no_child_left: nothing compare started is still running, in any of the children's groups.
no_child_left() {
        local child
        for child in $(sort -u "$WORK/children"); do
                ! kill -0 "$child" 2>/dev/null || fail "compare's child $child outlived it: $(ps -o pid,stat,args -p "$child")"
                [ -z "$(pgrep -g "$child")" ] || fail "processes of group $child outlived compare: $(pgrep -a -g "$child")"
        done
}

# --- Scenarios that deadlock by design are left out, with one line; their fix is measured.
run_lab compare --family deadlock --baristas 1,2 --repeat 1 --seconds 0.05 --format json
[ "$status" -eq 0 ] || fail "compare --family deadlock exited $status: $(cat "$WORK/err")"
# (The tests' lab has deadlocking scenarios of its own: "deadlock, test-relock, ...: they deadlock".)
[ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -q "leaves out deadlock (it deadlocks on purpose" "$WORK/err" ||
        fail "compare --family deadlock did not say in one line what it left out: $(cat "$WORK/err")"
jq_expect '.parameters.scenarios == ["deadlock-ordered"]'
jq_expect '[.cells[] | [.scenario, .baristas, .ended]] == [["deadlock-ordered",1,"completed"],["deadlock-ordered",2,"completed"]]'
jq_expect '.partial == false and .partial_because == null'
cp "$WORK/out" "$WORK/saved.json"
expect_usage_error "nothing to compare: it leaves out deadlock" compare --scenarios deadlock

# --- A saved result's notes count the saved machine's cores, not this one's: a spinlock 10x
# slower at 2 baristas than at 1 collapsed on 1 core, and did not on 64.
jq '.machine.cores = 1 | .scenarios[0].name = "spin-ck-ticket" | .parameters.scenarios = ["spin-ck-ticket"]
    | .cells[].scenario = "spin-ck-ticket" | .cells[1].ns_per_drink.median = .cells[0].ns_per_drink.median * 10' \
        "$WORK/saved.json" >"$WORK/one-core.json"
run_lab compare --from "$WORK/one-core.json"
grep -q "more baristas than the 1 cores" "$WORK/out" || fail "no collapse note for a 1-core result: $(cat "$WORK/out")"
jq '.machine.cores = 64' "$WORK/one-core.json" >"$WORK/many-cores.json"
run_lab compare --from "$WORK/many-cores.json"
! grep -q "lock-holder preemption" "$WORK/out" || fail "a collapse note for a 64-core result: $(cat "$WORK/out")"

# --- A cell whose process dies is that cell's failure: shown, its figures null, the rest measured.
: >"$WORK/children"
"$LAB" compare "${GRID[@]}" --format json >"$WORK/out" 2>"$WORK/err" &
pid=$!
crash_a_cell "$pid"
wait "$pid"
status=$?
[ "$status" -eq 1 ] || fail "compare with a crashed cell exited $status, expected 1: $(cat "$WORK/err")"
jq_expect '.cells | length == 6'
jq_expect '[.cells[] | select(.ended != "completed")] | length == 1'
jq_expect '.cells[] | select(.ended != "completed") | .ended == "crashed" and .signal == 6 and .ns_per_drink == null and .lost_updates == null'
jq_expect 'all(.cells[] | select(.ended == "completed"); .ns_per_drink.median > 0 and .signal == null)'
grep -q "crashed (signal 6); going on with the next cell" "$WORK/err" || fail "the crash was not said: $(cat "$WORK/err")"
no_child_left

# --- SIGINT: the cells finished so far in every format asked, marked partial; exit 130.
: >"$WORK/children"
"$LAB" compare "${GRID[@]}" --format json --svg "$WORK/int.svg" --html "$WORK/int.html" >"$WORK/out" 2>"$WORK/err" &
pid=$!
wait_for_cells "$pid" 2
kill -INT "$pid"
wait "$pid"
status=$?
[ "$status" -eq 130 ] || fail "compare after SIGINT exited $status, expected 130: $(cat "$WORK/err")"
jq_expect '.partial == true and (.partial_because | test("interrupted by SIGINT"))'
# The first cell seen measuring had finished: at least one cell, whenever the signal came.
jq_expect '(.cells | length) >= 1 and all(.cells[]; .ended == "completed")'
jq_expect '.parameters.baristas == [3] and .parameters.shot_ns == [0,100,200]'
xmllint --noout "$WORK/int.svg" || fail "the partial SVG is not well-formed XML"
grep -q "Partial: interrupted by SIGINT" "$WORK/int.svg" || fail "the SVG does not say it is partial"
grep -q "PARTIAL: interrupted by SIGINT" "$WORK/int.html" && grep -q "</html>" "$WORK/int.html" ||
        fail "the HTML does not say it is partial, or is cut off"
no_child_left

# --- SIGTERM, as a table: exit 143, and a line saying it is partial and why.
: >"$WORK/children"
"$LAB" compare "${GRID[@]}" >"$WORK/out" 2>"$WORK/err" &
pid=$!
wait_for_cells "$pid" 1
kill -TERM "$pid"
wait "$pid"
status=$?
[ "$status" -eq 143 ] || fail "compare after SIGTERM exited $status, expected 143: $(cat "$WORK/err")"
head -1 "$WORK/out" | grep -q "^PARTIAL: interrupted by SIGTERM" ||
        fail "the table does not open with why it is partial: $(cat "$WORK/out")"
grep -q "^SCENARIO" "$WORK/out" || fail "no table after SIGTERM: $(cat "$WORK/out")"
no_child_left

# --- Output that cannot be written: one line, exit 1.
"$LAB" compare --scenarios mutex --baristas 1 --repeat 1 --seconds 0.05 --format json \
        >/dev/full 2>"$WORK/err"
status=$?
[ "$status" -eq 1 ] || fail "compare >/dev/full exited $status, expected 1"
[ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -q "cannot write" "$WORK/err" ||
        fail "compare >/dev/full did not say so in one line: $(cat "$WORK/err")"

# --- Output paths and inputs are checked before anything is measured or written.
mkdir "$WORK/files"
cd "$WORK/files" || fail "no $WORK/files"
expect_usage_error "--svg: cannot write /nonexistent/a.svg" \
        compare --from "$WORK/saved.json" --svg /nonexistent/a.svg --html ok.html
[ ! -e ok.html ] || fail "compare wrote ok.html though --svg could not be written"
expect_usage_error "--html: cannot write $WORK/files" compare --from "$WORK/saved.json" --html "$WORK/files"
"$LAB" timeline mutex --format json >"$WORK/timeline.json" || fail "timeline --format json failed"
echo '{"schema": "espresso-lab/compare/1", "cells": [{"scenario": "mutex"}]}' >"$WORK/shapeless.json"
echo 'not json' >"$WORK/garbage.json"
# A grid that measures for 2 s: refused well under a second means refused before measuring.
for baseline in timeline shapeless garbage; do
        started=$(date +%s%N)
        expect_usage_error "--baseline: $WORK/$baseline.json is not a saved compare result" \
                compare --scenarios mutex --baristas 1 --repeat 1 --seconds 2 --baseline "$WORK/$baseline.json"
        took=$(seconds_since "$started")
        within "$took" 0.5 || fail "a bad baseline ($baseline) took $took s to refuse: measured first?"
done
expect_usage_error "--from: $WORK/timeline.json is not a saved compare result" compare --from "$WORK/timeline.json"
expect_usage_error "--svg: cannot write $WORK/missing/t.svg: the directory $WORK/missing does not exist" \
        timeline mutex --svg "$WORK/missing/t.svg"

# --- Files written are whole, and the temporary files gone.
run_lab compare --from "$WORK/saved.json" --svg c.svg --html c.html
[ "$status" -eq 0 ] || fail "compare --from --svg --html exited $status: $(cat "$WORK/err")"
run_lab timeline mutex --svg t.svg
[ "$status" -eq 0 ] || fail "timeline --svg exited $status: $(cat "$WORK/err")"
xmllint --noout c.svg t.svg || fail "an SVG written is not well-formed XML"
grep -q "</html>" c.html || fail "the HTML is cut off"
# A file that cannot be written whole is not written: the old one stays, nothing is left over.
echo "the old page" >c.html
(trap '' XFSZ && ulimit -f 1 && exec "$LAB" compare --from "$WORK/saved.json" --html c.html) \
        >/dev/null 2>"$WORK/err"
status=$?
[ "$status" -eq 1 ] || fail "compare --html past the file size limit exited $status, expected 1: $(cat "$WORK/err")"
[ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -q "cannot write c.html: File too large" "$WORK/err" ||
        fail "the failed write was not said in one line: $(cat "$WORK/err")"
[ "$(cat c.html)" = "the old page" ] || fail "a failed write changed c.html: $(head -c 200 c.html)"
run_lab compare --from "$WORK/saved.json" --svg /dev/full
[ "$status" -eq 1 ] && grep -q "cannot write /dev/full: No space left on device" "$WORK/err" ||
        fail "--svg /dev/full exited $status: $(cat "$WORK/err")"
left=$(find . -name '*.tmp*')
[ -z "$left" ] || fail "temporary files left behind: $left"
echo "ok: compare holds up"
