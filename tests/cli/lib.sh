# Helpers for the command-line tests. Each test script gets the espresso-lab binary as $1.
set -u
LAB=$1
shift
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() {
        echo "FAIL: $*" >&2
        exit 1
}

# run_lab ARGS...: runs the lab, leaving exit status in $status, stdout in $WORK/out,
# stderr in $WORK/err.
run_lab() {
        "$LAB" "$@" >"$WORK/out" 2>"$WORK/err"
        status=$?
}

# expect_usage_error "what it must mention" ARGS...: exit 2, nothing on stdout, exactly one
# line on stderr mentioning the problem.
expect_usage_error() {
        local mention=$1
        shift
        run_lab "$@"
        [ "$status" -eq 2 ] || fail "'$*' exited $status, expected 2 (stderr: $(cat "$WORK/err"))"
        [ ! -s "$WORK/out" ] || fail "'$*' printed to stdout: $(cat "$WORK/out")"
        local lines
        lines=$(wc -l <"$WORK/err")
        [ "$lines" -eq 1 ] || fail "'$*' printed $lines lines on stderr, expected 1: $(cat "$WORK/err")"
        grep -qF -- "$mention" "$WORK/err" || fail "'$*' said '$(cat "$WORK/err")', expected it to mention '$mention'"
}

# jq_expect FILTER: the JSON on stdout must satisfy FILTER (a jq expression that yields true).
jq_expect() {
        jq -e "$1" "$WORK/out" >/dev/null || fail "JSON does not satisfy: $1
$(cat "$WORK/out")"
}

need_jq() {
        command -v jq >/dev/null || fail "jq is needed (./lab test installs it)"
}
