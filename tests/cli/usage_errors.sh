# Bad input gets one clear line on stderr and exit 2: never a crash, never a silent clamp.
. "$(dirname "$0")/lib.sh"

expect_usage_error "unknown command 'brew'" brew
expect_usage_error "unknown scenario 'nosuch'" run nosuch
expect_usage_error "needs a scenario" run
expect_usage_error "--baristas: 0 is out of range" run mutex --baristas 0
expect_usage_error "--baristas: '-1' is not a whole number" run mutex --baristas -1
expect_usage_error "--baristas: 'four' is not a whole number" run mutex --baristas four
expect_usage_error "--baristas: 100000 is out of range" run mutex --baristas 100000
expect_usage_error "--orders: 99999999999999999999 is out of range" run mutex --orders 99999999999999999999
expect_usage_error "--orders: 0 is out of range" run mutex --orders 0
expect_usage_error "--orders and --seconds" run mutex --orders 100 --seconds 1
expect_usage_error "--seconds: 0 is out of range" run mutex --seconds 0
expect_usage_error "--seconds: 'soon' is not a number" run mutex --seconds soon
expect_usage_error "--shot-ns: '-5' is not a whole number" run mutex --shot-ns -5
expect_usage_error "--prep-ns: 5000000000 is out of range" run mutex --prep-ns 5000000000
expect_usage_error "fewer than --baristas" run mutex --orders 3 --baristas 4
expect_usage_error "--format: 'xml' is not one of" run mutex --format xml
expect_usage_error "unknown option '--turbo'" run mutex --turbo
expect_usage_error "--baristas needs a value" run mutex --baristas
expect_usage_error "--format: 'csv' is not one of table, json" list --format csv
expect_usage_error "unknown scenario 'nosuch'" race-check unsync nosuch
expect_usage_error "--runs: 0 is out of range" race-check --runs 0
expect_usage_error "demo takes no arguments" demo now
expect_usage_error "unknown benchmark 'speed'" bench speed
expect_usage_error "--stall-seconds: 'never' is not a number" run mutex --stall-seconds never
expect_usage_error "takes no arguments, got 'now'" bench collapse now

# What the user typed is quoted, never let loose on the terminal: one line, whatever it holds.
expect_usage_error "--baristas: '4\\n5' is not a whole number" run mutex --baristas $'4\n5'
expect_usage_error "unknown scenario 'a\\x1b[31mb'" run $'a\e[31mb'
! grep -q $'\e' "$WORK/err" || fail "an escape character reached the terminal: $(cat -v "$WORK/err")"
# Lists: no empty item, nothing cut to fit, no default put in place of what was given.
expect_usage_error "--scenarios: the list is empty" compare --scenarios ''
expect_usage_error "--baristas: '1,,2' has an empty item" compare --baristas 1,,2
expect_usage_error "--shot-ns: '100,' has an empty item" compare --shot-ns 100,
expect_usage_error "--scenarios: ',mutex' has an empty item" compare --scenarios ,mutex
long=$(printf 'm%.0s' $(seq 1 2000))
expect_usage_error "an argument of 2000 characters" run "$long"
expect_usage_error "an argument of 2000 characters" compare --scenarios "$long"
echo "ok: usage errors"
