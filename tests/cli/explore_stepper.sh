# replay's HTML stepper works in a real browser: headless Chromium opens the page with
# #selftest, which clicks the page's own buttons and writes what it saw into the page, read back
# with --dump-dom; and a screenshot of it is taken. The SVG of the same steps is well-formed.
# Skips, saying why, where Chromium is not installed (./lab test installs it).
. "$(dirname "$0")/lib.sh"
need_jq
browser=$(command -v chromium || command -v chromium-browser) || {
        echo "skipped: no chromium on this machine (./lab test installs Debian's chromium)"
        exit 77
}

"$LAB" explore unsync --find lost-shot --format json >"$WORK/found.json"
schedule=$(jq -r .schedule "$WORK/found.json")
run_lab replay unsync "$schedule" --html "$WORK/steps.html" --svg "$WORK/steps.svg"
[ "$status" -eq 1 ] || fail "replay exited $status: $(cat "$WORK/err")"
[ -s "$WORK/steps.html" ] || fail "no HTML written"
grep -qE '(src|href)="https?:' "$WORK/steps.html" && fail "the page loads something from the network"
xmllint --noout "$WORK/steps.svg" || fail "the SVG is not well-formed"
grep -q "a shot is lost" "$WORK/steps.svg" || fail "the SVG does not show the lost shot"

# As root Chromium needs --no-sandbox; the rest keeps it off this machine's closed network.
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$WORK/profile")
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$WORK/steps.html#selftest" \
        >"$WORK/dom.html" 2>"$WORK/browser.err" || fail "chromium --dump-dom failed: $(tail -5 "$WORK/browser.err")"
grep -q "selftest passed" "$WORK/dom.html" ||
        fail "the page's self-test did not pass: $(grep -A8 'id="selftest"' "$WORK/dom.html")"
[ "$(grep -c '^ok ' "$WORK/dom.html")" -eq 5 ] || fail "the self-test did not make its five checks"
steps=$(jq -r .steps "$WORK/found.json")
grep -q "selftest passed ($steps steps)" "$WORK/dom.html" || fail "the page does not hold the $steps steps"

timeout 120 "$browser" "${flags[@]}" --window-size=1100,800 --screenshot="$WORK/steps.png" \
        "file://$WORK/steps.html" >/dev/null 2>"$WORK/browser.err" || fail "no screenshot: $(tail -5 "$WORK/browser.err")"
[ "$(head -c 8 "$WORK/steps.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
        fail "the screenshot is not a PNG"
[ "$(stat -c %s "$WORK/steps.png")" -gt 10000 ] || fail "the screenshot is blank"
echo "ok: the stepper steps in Chromium"
