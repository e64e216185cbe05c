# cmake --install puts the kit, the lab's library and espresso-kit.pc under a prefix; a scenario
# file built out of tree against them, with nothing but pkg-config, is a lab with that scenario
# in it, natively and under TSan: list, run and race-check work on it, and race-check finds the
# installed suppressions. The prefix is a temporary folder, given at install time only, so the
# .pc files must find the kit relative to themselves.
. "$(dirname "$0")/lib.sh"
need_jq
build=$(dirname "$LAB")
prefix=$WORK/prefix
cmake --install "$build" --prefix "$prefix" >"$WORK/install.log" 2>&1 ||
        fail "cmake --install failed: $(cat "$WORK/install.log")"
for f in bin/espresso-lab bin/espresso-lab-tsan share/espresso-lab/tsan-suppressions \
        include/espresso-kit/kit/scenario.h; do
        [ -e "$prefix/$f" ] || fail "cmake --install did not put $f under the prefix"
done
pc=$(find "$prefix" -name espresso-kit.pc | head -1)
[ -n "$pc" ] || fail "no espresso-kit.pc under the prefix"
export PKG_CONFIG_PATH=$(dirname "$pc")
cc=$(pkg-config --variable=cc espresso-kit) || fail "pkg-config cannot read espresso-kit.pc"

# The installed lab runs from the prefix and finds its twin and suppressions there.
"$prefix/bin/espresso-lab" race-check mutex >"$WORK/out" 2>"$WORK/err" ||
        fail "the installed lab's race-check failed: $(cat "$WORK/err")"

# A student's file: one correct barista and one racy one, in a folder of their own.
mkdir "$WORK/mine"
cat >"$WORK/mine/my-baristas.c" <<'SCENARIO_FILE'
#include "scenario.h"

#include <pthread.h>

static pthread_mutex_t my_lock = PTHREAD_MUTEX_INITIALIZER;

static void my_locked_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                pthread_mutex_lock(&my_lock);
                machine_pull_shot(b);
                pthread_mutex_unlock(&my_lock);
                barista_serve_drink(b);
        }
}

static void my_racy_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                machine_pull_shot(b);
                barista_serve_drink(b);
        }
}

SCENARIO(my_locked, .name = "my-locked", .family = FAMILY_LOCK, .expect = VERDICT_CLEAN,
         .summary = "My barista, with a mutex", .lesson = "Locked.", .barista = my_locked_barista);
SCENARIO(my_racy, .name = "my-racy", .family = FAMILY_NONE, .expect = VERDICT_RACE,
         .summary = "My barista, without one", .lesson = "Racy.", .barista = my_racy_barista);
SCENARIO_FILE
cd "$WORK/mine" || fail "cannot enter $WORK/mine"
# shellcheck disable=SC2046 # pkg-config's words are meant to split
$cc my-baristas.c $(pkg-config --cflags --libs espresso-kit) -o my-lab 2>"$WORK/err" ||
        fail "building against espresso-kit failed: $(cat "$WORK/err")"
# shellcheck disable=SC2046
$cc my-baristas.c $(pkg-config --cflags --libs espresso-kit-tsan) -o my-lab-tsan 2>"$WORK/err" ||
        fail "building against espresso-kit-tsan failed: $(cat "$WORK/err")"
export ESPRESSO_TSAN_SUPPRESSIONS
ESPRESSO_TSAN_SUPPRESSIONS=$(pkg-config --variable=suppressions espresso-kit)

LAB=./my-lab
run_lab list --format json
[ "$status" -eq 0 ] || fail "my-lab list exited $status: $(cat "$WORK/err")"
jq_expect '[.scenarios[].name] | sort == ["my-locked", "my-racy"]'
run_lab run my-locked --baristas 4 --orders 20000 --format json
[ "$status" -eq 0 ] || fail "my-lab run my-locked exited $status: $(cat "$WORK/err")"
jq_expect '.drinks == 20000 and .lost_updates == 0'
run_lab race-check my-locked my-racy --format json
[ "$status" -eq 0 ] || fail "my-lab race-check exited $status: $(cat "$WORK/out") $(cat "$WORK/err")"
jq_expect '.all_match and .suppressions'
jq_expect '[.results[] | select(.scenario == "my-locked")][0].observed == "clean"'
jq_expect '[.results[] | select(.scenario == "my-racy")][0].observed == "race"'
# TSan points at the kit's line, called from the student's own.
jq_expect '[.results[] | select(.scenario == "my-racy")][0].first_report |
        (.location | test("^espresso-kit/kit/machine.h:[0-9]+$")) and (.caller | test("/mine/my-baristas.c:[0-9]+$"))'

# A file whose scenarios cannot run is told so, before any command.
cat >broken.c <<'SCENARIO_FILE'
#include "scenario.h"
static void idle_barista(struct barista *b) { (void)b; }
SCENARIO(first, .name = "twice", .summary = "One", .lesson = "L", .barista = idle_barista);
SCENARIO(second, .name = "twice", .summary = "Two", .lesson = "L", .barista = idle_barista);
SCENARIO(nameless, .summary = "No name", .lesson = "L", .barista = idle_barista);
SCENARIO(idle, .name = "no-barista", .summary = "Nobody works", .lesson = "L");
SCENARIO_FILE
# shellcheck disable=SC2046
$cc broken.c $(pkg-config --cflags --libs espresso-kit) -o broken-lab 2>"$WORK/err" ||
        fail "building broken.c failed: $(cat "$WORK/err")"
LAB=./broken-lab
run_lab list
[ "$status" -eq 1 ] || fail "a lab with broken scenarios exited $status, expected 1"
grep -q "cannot start: a scenario is named ''" "$WORK/err" || fail "the nameless scenario is not named: $(cat "$WORK/err")"
sed -i '/nameless/d' broken.c
# shellcheck disable=SC2046
$cc broken.c $(pkg-config --cflags --libs espresso-kit) -o broken-lab 2>"$WORK/err" || fail "rebuild failed"
run_lab list
grep -q "scenario 'no-barista' has no .barista" "$WORK/err" || fail "the missing barista is not named: $(cat "$WORK/err")"
sed -i '/no-barista/d' broken.c
# shellcheck disable=SC2046
$cc broken.c $(pkg-config --cflags --libs espresso-kit) -o broken-lab 2>"$WORK/err" || fail "rebuild failed"
run_lab list
grep -q "two scenarios are named 'twice'" "$WORK/err" || fail "the shared name is not named: $(cat "$WORK/err")"
# The installed lab checks a student's file against the installed kit, and hands out exercises.
corpus=$(cd "$(dirname "$0")/../check/corpus" && pwd)
"$prefix/bin/espresso-lab" check --format json "$corpus/no-lock.c" >"$WORK/out" 2>"$WORK/err"
jq -e '.files[0].verdict == "failed" and .files[0].hints[0].id == "lost-update"
       and (.files[0].race.accesses[0].line | type) == "number"' "$WORK/out" >/dev/null ||
        fail "the installed lab's check of no-lock.c: $(cat "$WORK/out" "$WORK/err")"
mkdir "$WORK/class"
"$prefix/bin/espresso-lab" exercise start own-spinlock "$WORK/class" >/dev/null 2>"$WORK/err" &&
        [ -s "$WORK/class/own-spinlock.c" ] || fail "the installed lab cannot start an exercise: $(cat "$WORK/err")"
echo "ok: an installed kit builds a lab of one's own, native and TSan; the installed lab checks a student's file"
