# explain works for every scenario; every broken scenario names its fixed twin and the twin
# names it back.
. "$(dirname "$0")/lib.sh"
need_jq

run_lab list --format json
for name in $(jq -r '.scenarios[].name' "$WORK/out"); do
        "$LAB" explain "$name" >"$WORK/explain" 2>&1 || fail "explain $name exited $?"
        grep -q "^What happens" "$WORK/explain" && grep -q "^What to look for" "$WORK/explain" &&
                grep -q "^  scenarios/$name.c$" "$WORK/explain" || fail "explain $name is incomplete: $(cat "$WORK/explain")"
done
for pair in unsync:mutex deadlock:deadlock-ordered forgetful:spin-ck-ticket menu-unsync:menu-rcu; do
        broken=${pair%%:*} fixed=${pair##*:}
        "$LAB" explain "$broken" | grep -q "^Its twin: the fix" || fail "$broken names no fix"
        "$LAB" explain "$broken" | grep -q "^  $fixed:" || fail "$broken's twin is not $fixed"
        "$LAB" explain "$fixed" | grep -q "^  $broken:" || fail "$fixed does not name $broken back"
done
"$LAB" explain atomic-counter | grep -q "^  mutex:" || fail "atomic-counter names no fix"
"$LAB" explain mutex | grep -qx "  espresso-lab timeline mutex" || fail "explain mutex does not offer its timeline"
! "$LAB" explain queue-ck-ring | grep -q "timeline" || fail "explain offers a timeline a queue does not have"
"$LAB" explain unsync | grep -qx "  espresso-lab explore unsync" || fail "explain unsync does not offer explore"
! "$LAB" explain shop-parallel | grep -q "explore" || fail "explain offers explore for a shop, which cannot be stepped"
expect_usage_error "unknown scenario 'nosuch'" explain nosuch
expect_usage_error "explain takes one scenario" explain
echo "ok: explain"
