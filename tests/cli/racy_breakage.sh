# The racy lock-family scenarios break the machine the way their lessons say. In slow motion,
# which holds each race window open until another barista steps in, in every run.
. "$(dirname "$0")/lib.sh"
need_jq

# atomic-counter: no shot lost (the counter is atomic), yet baristas collide at the machine.
run_lab run atomic-counter --slow-motion --baristas 4 --orders 4000 --format json
[ "$status" -eq 0 ] || fail "atomic-counter exited $status: $(cat "$WORK/err")"
jq_expect '.drinks > 0 and .drinks == .orders'
jq_expect '.lost_updates == 0 and .shots == .drinks'
jq_expect '.collisions > 0 and .invariants_held == false'
echo "ok: atomic-counter lost nothing and collided $(jq .collisions "$WORK/out") times"

# forgetful: the skipped lock shows as collisions. In slow motion a forgetful barista holds the
# machine on each forgotten order until another barista wants it; counted, so that the forgotten
# orders surely come (every barista forgets its first).
run_lab run forgetful --slow-motion --baristas 2 --orders 80000 --shot-ns 500 --format json
[ "$status" -eq 0 ] || fail "forgetful exited $status: $(cat "$WORK/err")"
jq_expect '.drinks == 80000 and .drinks == .orders'
jq_expect '.collisions > 0 and .invariants_held == false'
echo "ok: forgetful collided $(jq .collisions "$WORK/out") times in $(jq .drinks "$WORK/out") drinks"
