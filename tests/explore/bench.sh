#!/usr/bin/env bash
# How many controlled schedules explore needs to break each racy scenario, random walk against
# PCT (depth 2 and 3), over many seeds; the shortened schedule's steps and preemptions; and the
# wall time of a whole search on this machine. A benchmark, not a test (about 15 minutes on 2
# cores, most of it the two scenarios no schedule breaks): ./lab explore-bench runs it.
#
#   tests/explore/bench.sh LAB [SEEDS]     (default 11 seeds: 1..11)
#
# Prints one line per scenario and strategy: the median and the largest number of schedules
# until the first break (budget 500), how many seeds found nothing, the shortened schedule's
# steps and preemptions (the median), and the median wall time of one search (search and
# shortening), then the schedules of one seed to replay.
set -euo pipefail
lab=${1:?usage: bench.sh LAB [SEEDS]}
seeds=${2:-11}
budget=500
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d /tmp/espresso-explore-bench.XXXXXX)

subjects=(unsync atomic-counter menu-unsync forgetful deadlock menu-rcu-early-free
          menu-rcu-stale-pointer queue-ck-ring-peek queue-ck-fifo-late-write
          "$here/check/corpus/check-then-act.c" "$here/check/corpus/opposite-order.c")

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-26s %-7s %9s %7s %9s %6s %11s %9s\n' subject strategy "median" "most" "not found" steps preemptions "search s"
for subject in "${subjects[@]}"; do
        name=$(basename "$subject" .c)
        for strategy in random pct pct-3; do
                : >"$out/$name.$strategy"
                for seed in $(seq "$seeds"); do
                        start=$(date +%s%N)
                        "$lab" explore "$subject" --strategy "${strategy%-3}" \
                                --depth "$([ "$strategy" = pct-3 ] && echo 3 || echo 2)" --seed "$seed" \
                                --budget "$budget" --format json >"$out/run.json" 2>/dev/null || true
                        took=$(awk -v s="$start" -v e="$(date +%s%N)" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')
                        jq -r --arg took "$took" '[(if .found then .found_at else "none" end),
                                (.steps // "-"), (.preemptions // "-"), $took, (.schedule // "-")]
                                | @tsv' "$out/run.json" >>"$out/$name.$strategy"
                done
                found=$(awk '$1 != "none"' "$out/$name.$strategy")
                printf '%-26s %-7s %9s %7s %9s %6s %11s %9s\n' "$name" "$strategy" \
                        "$(echo "$found" | awk 'NF { print $1 }' | median)" \
                        "$(echo "$found" | awk 'NF { print $1 }' | sort -n | tail -1)" \
                        "$(awk '$1 == "none"' "$out/$name.$strategy" | wc -l)/$seeds" \
                        "$(echo "$found" | awk 'NF { print $2 }' | median)" \
                        "$(echo "$found" | awk 'NF { print $3 }' | median)" \
                        "$(cut -f4 "$out/$name.$strategy" | median)"
        done
done
echo
echo "schedules found with seed 1 (random), to replay:"
for subject in "${subjects[@]}"; do
        name=$(basename "$subject" .c)
        printf '  %-26s %s\n' "$name" "$(head -1 "$out/$name.random" | cut -f5)"
done
echo "per-seed results in $out"
