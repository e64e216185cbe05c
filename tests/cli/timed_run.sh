# --seconds ends a run on time, even with more baristas than cores.
. "$(dirname "$0")/lib.sh"
need_jq

start=$(date +%s%N)
run_lab run mutex --baristas 64 --seconds 0.3 --format json
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$status" -eq 0 ] || fail "timed run exited $status: $(cat "$WORK/err")"
jq_expect '.seconds >= 0.3 and .seconds < 2'
jq_expect '.drinks == .orders and .drinks > 0'
[ "$elapsed_ms" -lt 10000 ] || fail "a 0.3 s run took $elapsed_ms ms"
echo "ok: timed run took $elapsed_ms ms"
