#!/usr/bin/env bash
# The check corpus, as a benchmark: every student-style file in tests/check/corpus/ is checked,
# and its verdict and first hint are compared with what its header expects
#   * check-expect: verdict=failed hint=lost-update
# Then every exercise both ways: its starter must fail `check --exercise`, and the lab's own
# reference scenario must pass it. Prints a row per file with how long its check took, the
# slowest, and check's own bound on one file. Exit 0 when every file came out as expected.
#
#   tests/check/corpus.sh [LAB [FILE...]]    (./lab corpus builds first, then runs this)
# LAB: the espresso-lab binary (default build/espresso-lab); FILE: only these corpus files.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
lab=${1:-$top/build/espresso-lab}
[ $# -gt 0 ] && shift
[ -x "$lab" ] || { echo "corpus: no lab at $lab (build first: ./lab build)" >&2; exit 2; }
command -v jq >/dev/null || { echo "corpus: jq is needed" >&2; exit 2; }
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$top"/tests/check/corpus/*.c)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bad=0 slowest=0 slowest_file=""
printf '%-28s %-30s %-30s %7s\n' file expected got seconds
row() { # name expected got seconds
        local mark=""
        [ "$2" = "$3" ] || { mark="  <- MISMATCH"; bad=1; }
        printf '%-28s %-30s %-30s %7s%s\n' "$1" "$2" "$3" "$4" "$mark"
        if awk -v s="$4" -v m="$slowest" 'BEGIN { exit !(s > m) }'; then
                slowest=$4
                slowest_file=$1
        fi
}

# check_one FILE [--exercise NAME]: "verdict hint" and the seconds, from check's JSON.
check_one() {
        local file=$1
        shift
        "$lab" check --format json "$@" "$file" >"$work/out.json" 2>"$work/err"
        local rc=$?
        if ! jq -e '.files[0]' "$work/out.json" >/dev/null 2>&1; then
                echo "error(exit $rc: $(head -c 200 "$work/err"))" 0
                return
        fi
        jq -r '.files[0] | "\(.verdict | gsub(" "; "-")) \(.hints[0].id // "none") \(.seconds * 10 | round / 10)"' "$work/out.json" |
                awk '{ print $1 "," $2, $3 }'
}

for file in "${files[@]}"; do
        expect=$(sed -n 's/.*check-expect: verdict=\([a-z-]*\) hint=\([a-z-]*\).*/\1,\2/p' "$file" | head -1)
        [ -n "$expect" ] || { echo "corpus: $file has no check-expect line" >&2; bad=1; continue; }
        read -r got seconds < <(check_one "$file")
        row "$(basename "$file")" "$expect" "$got" "$seconds"
done

# Exercises, both ways: the starter fails its goals, the reference passes them.
if [ $# -eq 0 ]; then
        while read -r name reference _; do
                read -r got seconds < <(check_one "$top/exercises/$name.c" --exercise "$name")
                row "$name (starter)" "failed" "${got%%,*}" "$seconds"
                read -r got seconds < <(check_one "$top/scenarios/$reference.c" --exercise "$name")
                row "$name ($reference)" "passed" "${got%%,*}" "$seconds"
        done < <("$lab" exercise list | awk 'NR > 1 && NF >= 3 && $1 != "Start" { print $1, $2 }')
fi

bound=$("$lab" check --format json "$top/tests/check/corpus/correct-mutex.c" 2>/dev/null | jq -r '.worst_case_seconds')
echo
echo "corpus: slowest check ${slowest} s ($slowest_file); check's bound on one file: ${bound} s ($(nproc) cores)"
[ $bad -eq 0 ] && echo "corpus: every file came out as expected" || echo "corpus: MISMATCH (see the rows marked)"
exit $bad
