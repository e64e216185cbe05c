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

# One table of fields: for runs of several kinds, every JSON field (a nested one's parts joined
# with _) is a CSV column, every CSV column a JSON field; every field with a value has a table
# line (a nested one's parts on one line), and every table line names a JSON field.
same_fields() { # run arguments
        "$LAB" run "$@" --format json >"$WORK/json" 2>/dev/null
        "$LAB" run "$@" --format csv >"$WORK/csv" 2>/dev/null
        "$LAB" run "$@" >"$WORK/table" 2>/dev/null
        jq -r 'to_entries[] | if (.value | type) == "object" then .key as $k | .value | keys_unsorted[] | "\($k)_\(.)" else .key end' \
                "$WORK/json" | sort >"$WORK/json-fields"
        head -1 "$WORK/csv" | tr ',' '\n' | sort >"$WORK/csv-fields"
        diff "$WORK/json-fields" "$WORK/csv-fields" >"$WORK/diff" ||
                fail "run $*: JSON fields and CSV columns differ: $(cat "$WORK/diff")"
        [ "$(wc -l <"$WORK/csv")" -eq 2 ] || fail "run $*: CSV is not a header and a row"
        jq -r 'to_entries[] | select(.value != null and .value != [] and
                ((.value | type) != "object" or (.value | map(select(. != null)) | length) > 0)) | .key' \
                "$WORK/json" | grep -vx scenario | sort >"$WORK/json-present"
        sed -n 's/^  \([a-z_]*\) .*/\1/p' "$WORK/table" | sort >"$WORK/table-fields"
        diff "$WORK/json-present" "$WORK/table-fields" >"$WORK/diff" ||
                fail "run $*: JSON fields with a value and table lines differ: $(cat "$WORK/diff")"
        head -1 "$WORK/table" | grep -q "^$1 — " || fail "run $*: the table's heading does not name $1"
}
same_fields mutex --baristas 2 --orders 20000
same_fields menu-rcu --baristas 1 --seconds 0.1
same_fields queue-ck-ring --baristas 1 --orders 2000
same_fields shop-parallel --baristas 2 --orders 8
same_fields unsync --baristas 1 --orders 100 --slow-motion
same_fields spin-ck-ticket --baristas 2 --seconds 0.05 --shot none
echo "ok: one field table: JSON, CSV and the table list the same fields"

# A figure that does not apply is null, never 0: no menu figures for a machine, no machine
# figures for a menu, no fairness among one barista, no shop figures outside the shop.
run_lab run mutex --baristas 2 --orders 20000 --format json
jq_expect '.torn_reads == null and .reads_per_sec == null and .menu_updates == null'
jq_expect '.update_ns | (keys | sort) == ["max", "p50", "p99"] and all(.[]; . == null)'
jq_expect '.sequential_seconds == null and .speedup == null and .work == null and .queue_capacity == null'
jq_expect '.stuck == null and .deadlocked == null and .broken_invariant == null'
run_lab run menu-rwlock --baristas 2 --seconds 0.1 --format json
jq_expect '.shots == null and .lost_updates == null and .collisions == null and .machine_checked == null'
jq_expect '.torn_reads == 0 and .reads_per_sec > 0'
run_lab run mutex --baristas 1 --orders 20000 --format json
jq_expect '.fairness == null'
echo "ok: null where a figure does not apply"

# --shot none: the lock alone, the machine untouched and said to be unchecked; refused where the
# critical section is not the shot.
run_lab run spin-ck-ticket --baristas 2 --seconds 0.1 --shot none --format json
[ "$status" -eq 0 ] || fail "--shot none exited $status: $(cat "$WORK/err")"
jq_expect '.shot == "none" and .machine_checked == false and .shots == null and .invariants_held'
jq_expect '.drinks > 0 and .shot_ns == null'
expect_usage_error "--shot none leaves a lock's critical section empty" run unsync --shot none
expect_usage_error "--shot: 'half' is not one of pulled, none" run mutex --shot half
echo "ok: --shot none"

# The queue's operator serves its drinks after the baristas have placed them: the run lasts until
# the last is served (200 shots of 1 ms: at least 0.1 s, with a margin), and its CPU counts.
run_lab run queue-ck-ring --baristas 1 --orders 200 --shot-ns 1000000 --format json
jq_expect '.invariants_held and .seconds >= 0.1 and .ns_per_drink >= 500000 and .cores_used >= 0.3'
echo "ok: a queue's run lasts until its operator's last drink"
echo "ok: run formats"
