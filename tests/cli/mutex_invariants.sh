# mutex holds every invariant at 8 baristas: every order served, no shot lost, no collision.
. "$(dirname "$0")/lib.sh"
need_jq

check_clean_run() {
        [ "$status" -eq 0 ] || fail "mutex $* exited $status: $(cat "$WORK/err") $(cat "$WORK/out")"
        jq_expect '.drinks == .orders and .shots == .drinks'
        jq_expect '.lost_updates == 0 and .collisions == 0 and .invariants_held == true'
}

run_lab run mutex --baristas 8 --orders 400000 --format json
check_clean_run counted
jq_expect '.orders == 400000'

# With work at the machine and away from it, and a timed run.
run_lab run mutex --baristas 8 --seconds 0.5 --shot-ns 200 --prep-ns 100 --format json
check_clean_run timed with work
jq_expect '.drinks > 0'
echo "ok: mutex invariants"
