# The classic shapes, as ratios with generous bounds: with waiting drinks, one juggling barista
# and three parallel ones are both far faster than one-at-a-time. Waiting is sleeping, so this
# holds on a busy machine too; CPU drinks are in shop_cores.sh.
. "$(dirname "$0")/lib.sh"
need_jq

seconds() { # scenario baristas work
        "$LAB" run "$1" --baristas "$2" --orders 48 --work "$3" --format json >"$WORK/out" ||
                fail "$1 --work $3 exited $?"
        jq_expect '.invariants_held and .drinks == 48'
        jq .seconds "$WORK/out"
}
ratio_below() { # a b bound: a / b < bound
        jq -en --argjson a "$1" --argjson b "$2" --argjson c "$3" '$a / $b < $c' >/dev/null
}

sequential=$(seconds shop-sequential 1 waiting)
concurrent=$(seconds shop-concurrent 3 waiting)
parallel=$(seconds shop-parallel 3 waiting)
ratio_below "$concurrent" "$sequential" 0.34 || fail "waiting: concurrent $concurrent s vs sequential $sequential s"
ratio_below "$parallel" "$sequential" 0.5 || fail "waiting: parallel $parallel s vs sequential $sequential s"
echo "ok: waiting drinks: sequential $sequential s, concurrent $concurrent s, parallel (3) $parallel s"

run_lab run shop-concurrent --baristas 3 --orders 48 --format json
jq_expect '.baristas == 1 and .speedup > 3 and .sequential_seconds > 0'

