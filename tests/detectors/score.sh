#!/usr/bin/env bash
# Scores the race detectors on the whole labelled corpus: every scenario of the lab, the student
# corpus's files that say what they are (an "expect:" line), and the sample programs here. Too
# long for the test suite (about 5 minutes on 2 cores): ./lab detectors runs it.
#
#   tests/detectors/score.sh LAB [OUT_DIR]
#
# Prints the table, and leaves detectors.json, detectors.csv and detectors.svg in OUT_DIR
# (default: a new temporary directory, whose path is printed).
set -euo pipefail
lab=${1:?usage: score.sh LAB [OUT_DIR]}
here=$(cd "$(dirname "$0")" && pwd)
out=${2:-$(mktemp -d /tmp/espresso-detectors-score.XXXXXX)}
mkdir -p "$out"

subjects=()
while IFS= read -r name; do
        subjects+=("$name")
done < <("$lab" list --format json | jq -r '.scenarios[].name')
for file in "$here"/../check/corpus/*.c; do
        grep -q '^ \* expect:' "$file" && subjects+=("$file")
done
for file in "$here"/programs/*.c; do
        subjects+=(--program "$file")
done

started=$SECONDS
"$lab" detectors "${subjects[@]}" --format json --svg "$out/detectors.svg" >"$out/detectors.json"
echo "detectors: $((SECONDS - started)) s for ${#subjects[@]} arguments; results in $out" >&2
# The table and the CSV from the same runs would take as long again: made from the JSON instead.
jq -r '
  ["subject","group","expect","detector","told","verdict","outcome","reports","first_where","slowdown","memory_ratio","why"],
  (.subjects[] as $s | $s.cells[] |
   [$s.name, $s.group, $s.expect, .detector, .told, .verdict, .outcome, .reports, .first_where, .slowdown, .memory_ratio, .why])
  | @csv' "$out/detectors.json" >"$out/detectors.csv"
jq -r '
  "detector     told   group              TP  FP  TN  FN none precision recall   F1",
  (.scores[] | select(.group == "overall" or .told) |
   "\(.detector|.+"            "|.[0:12]) \(if .told then "yes " else "no  " end)  \(.group|.+"                  "|.[0:18]) \(.tp|tostring|("   "+.)[-3:]) \(.fp|tostring|("   "+.)[-3:]) \(.tn|tostring|("   "+.)[-3:]) \(.fn|tostring|("   "+.)[-3:]) \(.no_verdict|tostring|("    "+.)[-4:])   \(.precision // "-"|tostring|.[0:4])    \(.recall // "-"|tostring|.[0:4])   \(.f1 // "-"|tostring|.[0:4])"),
  "",
  "median slowdown and memory (told / not told):",
  (.medians[] | "  \(.detector) \(if .told then "told    " else "not told" end) x\(.slowdown // "-"|tostring|.[0:6])  memory x\(.memory_ratio // "-"|tostring|.[0:5])"),
  "",
  "false positives and false negatives:",
  (.subjects[] as $s | $s.cells[] | select(.outcome == "FP" or .outcome == "FN") |
   "  \(.outcome) \(.detector) \(if .told then "told" else "not told" end): \($s.name) (expect \($s.expect)): \(.verdict), \(.reports) reports, first at \(.first_where // "-")")
' "$out/detectors.json"
