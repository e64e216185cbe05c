# Every lock scenario that claims to be correct holds its invariants at 8 baristas, with work at the
# machine: no lost shot, no collision, every order served.
. "$(dirname "$0")/lib.sh"
need_jq

run_lab list --format json
clean=$(jq -r '.scenarios[] | select(.expect == "clean" and .family == "lock") | .name' "$WORK/out")
for expected in mutex mutex-adaptive two-group-heads spin-pthread spin-ck-fas spin-ck-cas spin-ck-dec \
                spin-ck-ticket spin-ck-mcs spin-ck-clh spin-ck-anderson spin-ck-hclh \
                spin-c11-tas spin-c11-ttas spin-c11-ttas-backoff; do
        echo "$clean" | grep -qx "$expected" || fail "$expected is not listed as a clean scenario"
done

for scenario in $clean; do
        # Timed: a counted run of a fair spinlock with more baristas than cores can take minutes.
        run_lab run "$scenario" --baristas 8 --seconds 0.3 --shot-ns 100 --format json
        [ "$status" -eq 0 ] || fail "$scenario exited $status: $(cat "$WORK/err") $(cat "$WORK/out")"
        jq_expect '.drinks > 0 and .drinks == .orders and .shots == .drinks'
        jq_expect '.lost_updates == 0 and .collisions == 0 and .invariants_held'
        jq_expect '.contended | type == "number" and . >= 0 and . <= 1'
        echo "ok: $scenario served $(jq .drinks "$WORK/out") drinks at 8 baristas"
done
