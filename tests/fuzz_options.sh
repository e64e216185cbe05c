#!/usr/bin/env bash
# Fuzzes every command's option parser with libFuzzer, under ASan and UBSan, for SECONDS
# (default 60), from a seed corpus of the lab's own command lines, and prints how many
# executions it reached. Exit 0 when nothing crashed. Needs the dev preset's build:
#   cmake --preset dev && cmake --build --preset dev && tests/fuzz_options.sh [SECONDS]
set -euo pipefail
seconds=${1:-60}
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 1 ] || { echo "fuzz: SECONDS must be a whole number, not '$seconds'" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
fuzzer=${FUZZER:-$here/../build-dev/tests/fuzz-options}
[ -x "$fuzzer" ] || { echo "fuzz: no $fuzzer: build the dev preset first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
# Seeds: the command byte, then NUL-separated arguments, as the target reads them.
seed() { local name=$1; shift; printf "$@" >"$work/corpus/$name"; }
seed list '\000--format\000json'
seed run '\001mutex\000--baristas\0008\000--orders\00020000\000--shot\000none\000--format\000csv'
seed run-timed '\001unsync\000--seconds\0000.5\000--slow-motion\000--stall-seconds\0001'
seed race '\002unsync\000mutex\000--runs\0003\000--no-annotations'
seed bench '\003--orders\0001000\000--repeat\0003'
seed demo '\004--step'
seed timeline '\005mutex\000--width\000120\000--svg\000/tmp/x.svg'
seed compare '\006--scenarios\000mutex,unsync\000--baristas\0001..4\000--shot-ns\0000,200\000--repeat\0002'
"$fuzzer" -max_total_time="$seconds" -max_len=512 -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" \
        >"$work/log" 2>&1 || { tail -40 "$work/log"; cp "$work"/crash-* . 2>/dev/null;
                                echo "fuzz: the fuzzer found a crash (kept as ./crash-*)" >&2; exit 1; }
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$')
echo "fuzz: $runs executions in $seconds s, no crash"
