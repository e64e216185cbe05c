# The correct menus are never read torn, while the manager keeps changing them; menu-unsync is.
# Under the dev preset this runs menu-rcu under ASan: a menu freed while a reader still held it
# would be a use-after-free.
. "$(dirname "$0")/lib.sh"
need_jq

for scenario in menu-rcu menu-rwlock menu-mutex; do
        run_lab run "$scenario" --baristas 4 --seconds 0.4 --updates-per-sec 2000 --format json
        [ "$status" -eq 0 ] || fail "$scenario exited $status: $(cat "$WORK/err") $(cat "$WORK/out")"
        jq_expect '.invariants_held and .torn_reads == 0 and .drinks == .orders and .drinks > 0'
        jq_expect '.menu_updates >= 1 and (.update_ns.p50 | type == "number")'
        jq_expect '.reads_per_sec > 0 and .lost_updates == null and .collisions == null'
        jq_expect '.wait_ns.max < 1e10 and .hold_ns.max < 1e10'  # sampled times, not garbage
        echo "ok: $scenario: $(jq '.reads_per_sec | floor' "$WORK/out") reads/s," \
             "$(jq .menu_updates "$WORK/out") updates, update p50 $(jq '.update_ns.p50 | floor' "$WORK/out") ns"
done

# menu-unsync tears reads when the manager's change and a read overlap: in slow motion the manager
# stops half-way through each change until a barista has read the menu, so in every run.
run_lab run menu-unsync --slow-motion --baristas 2 --seconds 0.2 --format json
[ "$status" -eq 0 ] || fail "menu-unsync exited $status"
jq_expect '.torn_reads > 0 and .invariants_held == false and .menu_updates >= 1'
echo "ok: menu-unsync in slow motion: $(jq .torn_reads "$WORK/out") torn reads"
# Without it, only what holds in every schedule: reads counted, torn or not.
run_lab run menu-unsync --baristas 2 --seconds 0.2 --updates-per-sec 5000 --format json
[ "$status" -eq 0 ] || fail "menu-unsync exited $status"
jq_expect '.torn_reads >= 0 and .drinks > 0 and .invariants_held == (.torn_reads == 0)'
echo "ok: menu-unsync plain: $(jq .torn_reads "$WORK/out") torn reads"
