# unsync breaks the machine's invariants, and says so, but the run itself is not a failure:
# losing shots is what it demonstrates.
. "$(dirname "$0")/lib.sh"
need_jq

# Two baristas must really run at once for the machine to see overlapping shots.
if [ "$(nproc)" -lt 2 ]; then
        echo "skipped: needs 2 CPUs to overlap baristas"
        exit 77
fi
run_lab run unsync --baristas 4 --seconds 0.5 --shot-ns 50 --format json
[ "$status" -eq 0 ] || fail "unsync exited $status: $(cat "$WORK/err")"
jq_expect '.drinks == .orders'
jq_expect '.lost_updates > 0'
jq_expect '.collisions > 0'
jq_expect '.shots + .lost_updates == .drinks'
jq_expect '.invariants_held == false and (.broken_invariant | test("lost"))'
echo "ok: unsync loses $(jq .lost_updates "$WORK/out") shots and collides $(jq .collisions "$WORK/out") times"
