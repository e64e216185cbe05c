# The classic shapes, with waiting drinks: one juggling barista and three parallel ones both
# overlap the waits, which one-at-a-time cannot. The bounds hold whatever the machine's load:
# a drink waits 1.9 ms of its 2, so 48 drinks waited one after another take at least 91 ms,
# about 0.92 of sequential's time. The juggler's time spent not working is compared, not its
# time: a busy machine slows its CPU work, never its waits below that floor. Three parallel
# baristas under 0.75 of sequential have overlapped their waits by more than a quarter even if
# their work was slowed twenty times. CPU drinks are in shop_cores.sh.
. "$(dirname "$0")/lib.sh"
need_jq

seconds() { # scenario baristas work [jq expression of the run's figures: .seconds by default]
        "$LAB" run "$1" --baristas "$2" --orders 48 --work "$3" --format json >"$WORK/out" ||
                fail "$1 --work $3 exited $?"
        jq_expect '.invariants_held and .drinks == 48'
        jq "${4:-.seconds}" "$WORK/out"
}
ratio_below() { # a b bound: a / b < bound
        jq -en --argjson a "$1" --argjson b "$2" --argjson c "$3" '$a / $b < $c' >/dev/null
}

sequential=$(seconds shop-sequential 1 waiting)
concurrent_idle=$(seconds shop-concurrent 3 waiting '.seconds * (1 - .cores_used)')
parallel=$(seconds shop-parallel 3 waiting)
ratio_below "$concurrent_idle" "$sequential" 0.5 ||
        fail "waiting: concurrent spent $concurrent_idle s not working vs sequential's $sequential s"
ratio_below "$parallel" "$sequential" 0.75 || fail "waiting: parallel $parallel s vs sequential $sequential s"
echo "ok: waiting drinks: sequential $sequential s, concurrent not working $concurrent_idle s, parallel (3) $parallel s"

# One worker whatever --baristas says, and the speedup is over every drink made one after another
# (2 ms each). Its size depends on the load; that it overlaps the waits is asserted above.
run_lab run shop-concurrent --baristas 3 --orders 48 --format json
jq_expect '.baristas == 1 and .drinks == 48 and (.sequential_seconds - 0.096 | fabs) < 1e-9 and
           (.speedup - .sequential_seconds / .seconds | fabs) < 1e-6 * .speedup'

