#!/usr/bin/env bash
# tests/layering.sh passes on the project, and fails, naming the include, on a copy of it where
# a scenario reaches into the harness, the kit reaches up into the harness, and the harness
# reaches up into the command line.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
fail() { echo "FAIL: $*"; exit 1; }

out=$(bash "$here/layering.sh" "$top") || fail "the project breaks its own layering: $out"

copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp -r "$top/src" "$top/scenarios" "$copy/"
mkdir -p "$copy/tests/scenarios"
cp "$top"/tests/scenarios/*.c "$copy/tests/scenarios/"
broken() { # file, include line, what the report must name
        sed -i "1i $2" "$copy/$1"
        out=$(bash "$here/layering.sh" "$copy") && fail "$1 with '$2' passed"
        echo "$out" | grep -q "$3" || fail "$1 with '$2': report does not name $3: $out"
        sed -i 1d "$copy/$1"
}
broken scenarios/mutex.c '#include "../../src/harness/run.h"' 'scenarios/mutex.c includes'
broken src/kit/barista.c '#include "../harness/run.h"' 'src/kit/barista.c (kit) includes harness/run.h'
broken src/harness/run.c '#include "../cli/commands.h"' 'src/harness/run.c (harness) includes cli/commands.h, a floor up'
broken src/kit/machine.h '#include "../measure/lane.h"' 'src/kit/machine.h, a kit header, includes measure/lane.h'
bash "$here/layering.sh" "$copy" >/dev/null || fail "the restored copy does not pass"
echo "ok: layering holds, and a break of each rule is named"
