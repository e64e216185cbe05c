# run reports the same fields, with the documented names, as JSON, CSV and a table.
. "$(dirname "$0")/lib.sh"
need_jq

run_lab run mutex --baristas 2 --orders 20000 --format json
[ "$status" -eq 0 ] || fail "run exited $status: $(cat "$WORK/err")"
jq_expect '.scenario == "mutex" and .baristas == 2 and .orders == 20000'
for field in drinks lost_updates collisions seconds drinks_per_sec ns_per_drink fairness \
             ctx_switches_per_drink; do
        jq_expect ".$field | type == \"number\""
done
jq_expect '.contended | type == "number" and . >= 0 and . <= 1'
jq_expect '.wait_ns | (keys | sort) == ["max","p50","p99"] and all(.[]; type == "number")'
jq_expect '.hold_ns.p50 | type == "number"'
jq_expect '.hold_ns.p99 | type == "number"'
jq_expect '.wait_ns.p50 <= .wait_ns.p99 and .wait_ns.p99 <= .wait_ns.max'
jq_expect '.ns_per_drink > 0 and (.drinks_per_sec * .ns_per_drink / 1e9 - 1 | fabs) < 0.01'
jq_expect '.fairness > 0 and .fairness <= 1'

# A scenario that cannot tell contention says so with null, not a made-up 0.
run_lab run unsync --baristas 2 --orders 20000 --format json
jq_expect '.contended == null'

run_lab run mutex --baristas 2 --orders 20000 --format csv
[ "$status" -eq 0 ] || fail "csv run exited $status"
[ "$(wc -l <"$WORK/out")" -eq 2 ] || fail "csv is not a header and one row: $(cat "$WORK/out")"
header=$(head -1 "$WORK/out")
for column in scenario baristas orders drinks lost_updates collisions seconds drinks_per_sec \
              ns_per_drink wait_ns_p50 wait_ns_p99 wait_ns_max hold_ns_p50 hold_ns_p99 fairness \
              contended ctx_switches_per_drink; do
        echo ",$header," | grep -q ",$column," || fail "csv header lacks $column: $header"
done
fields_header=$(head -1 "$WORK/out" | tr ',' '\n' | wc -l)
fields_row=$(tail -1 "$WORK/out" | tr ',' '\n' | wc -l)
[ "$fields_header" -eq "$fields_row" ] || fail "csv row has $fields_row fields, header $fields_header"

run_lab run mutex --baristas 2 --orders 20000
[ "$status" -eq 0 ] || fail "table run exited $status"
for word in drinks lost_updates collisions ns_per_drink wait_ns hold_ns fairness contended; do
        grep -q "$word" "$WORK/out" || fail "table lacks $word"
done
echo "ok: run formats"
