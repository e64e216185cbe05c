# The racy lock-family scenarios break the machine the way their lessons say.
. "$(dirname "$0")/lib.sh"
need_jq

if [ "$(nproc)" -lt 2 ]; then
        echo "skipped: needs 2 CPUs to overlap baristas"
        exit 77
fi

# atomic-counter: no shot lost (the counter is atomic), yet baristas collide at the machine.
run_lab run atomic-counter --baristas 8 --seconds 0.5 --shot-ns 100 --format json
[ "$status" -eq 0 ] || fail "atomic-counter exited $status: $(cat "$WORK/err")"
jq_expect '.drinks > 0 and .drinks == .orders'
jq_expect '.lost_updates == 0 and .shots == .drinks'
jq_expect '.collisions > 0 and .invariants_held == false'
echo "ok: atomic-counter lost nothing and collided $(jq .collisions "$WORK/out") times"

# forgetful: the skipped lock shows as collisions. In slow motion the forgetful barista lingers
# at the machine on each of its 40 forgotten orders, so another barista steps up meanwhile even
# on a loaded machine; counted, so that the forgotten orders surely come.
run_lab run forgetful --slow-motion --baristas 2 --orders 80000 --shot-ns 500 --format json
[ "$status" -eq 0 ] || fail "forgetful exited $status: $(cat "$WORK/err")"
jq_expect '.drinks == 80000 and .drinks == .orders'
jq_expect '.collisions > 0 and .invariants_held == false'
echo "ok: forgetful collided $(jq .collisions "$WORK/out") times in $(jq .drinks "$WORK/out") drinks"
