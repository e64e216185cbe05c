#!/usr/bin/env bash
# The layering, checked from the #include lines: dependencies point down, folder by folder,
#   cli -> compare, timeline, tsan, report, check, detectors, explore -> harness -> kit -> measure
# (folders on one floor may use each other, but not in a circle); a scenario includes only the
# kit; a kit header includes only the kit and the measurements its inline code needs. On a
# failure it prints every include that breaks a rule, and the graph of folders.
# Usage: tests/layering.sh [SOURCE_DIR]   (default: the project this script is in)
# One awk over every file: a process per include made this take a minute on a busy machine.
set -u
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 2

KIT_HEADER_MAY_USE="clock.h busywork.h stats.h cpu.h" # of measure/: the inline barista loop's
FLOOR_FOUR="compare timeline tsan report check detectors explore"

sources=$(mktemp)
trap 'rm -f "$sources"' EXIT
find src -name '*.[ch]' | sort >"$sources"

# shellcheck disable=SC2046 # one word per file
awk -v listed="$sources" -v kit_may_use=" $KIT_HEADER_MAY_USE " -v floor_four="$FLOOR_FOUR" '
function normal(path,   n, part, out, k, i, s) { # "src/kit/../measure/x.h" -> "src/measure/x.h"
        n = split(path, part, "/")
        k = 0
        for (i = 1; i <= n; i++) {
                if (part[i] == "" || part[i] == ".")
                        continue
                if (part[i] == ".." && k > 0 && out[k] != "..")
                        k--
                else
                        out[++k] = part[i]
        }
        s = out[1]
        for (i = 2; i <= k; i++)
                s = s "/" out[i]
        return s
}
function floor_of(folder) {
        if (folder == "cli") return 5
        if (index(" " floor_four " ", " " folder " ")) return 4
        if (folder == "harness") return 3
        if (folder == "kit") return 2
        if (folder == "measure") return 1
        return 0
}
function say(text) { print "layering: " text; bad = 1 }
BEGIN {
        while ((getline f < listed) > 0)
                exists[f] = 1
        n_four = split(floor_four, four, " ")
}
FNR == 1 {
        file = FILENAME
        dir = file
        sub(/\/[^\/]*$/, "", dir)
        scenario = file !~ /^src\//
        from = file
        sub(/^src\//, "", from)
        sub(/\/.*/, "", from)
}
/^#include "/ {
        inc = $0
        sub(/^#include "/, "", inc)
        sub(/".*/, "", inc)
        if (scenario) {
                target = normal("src/kit/" inc)
                if (!(target in exists) || target !~ /^src\/kit\//)
                        say(file " includes \"" inc "\": a scenario includes only the kit (src/kit)")
                next
        }
        target = normal(dir "/" inc)
        if (!(target in exists))
                target = normal("src/" inc)
        if (!(target in exists)) {
                say(file " includes \"" inc "\", which is not in src/")
                next
        }
        includes++
        to = target
        sub(/^src\//, "", to)
        name = to
        sub(/\/.*/, "", to)
        sub(/.*\//, "", name)
        if (to == from)
                next
        edge[from " -> " to]++
        pair[from, to] = 1
        if (floor_of(to) > floor_of(from))
                say(file " (" from ") includes " to "/" name ", a floor up")
        if (from == "kit" && file ~ /\.h$/ && to == "measure" && !index(kit_may_use, " " name " "))
                say(file ", a kit header, includes measure/" name ": only " substr(kit_may_use, 2, length(kit_may_use) - 2) " are the kit'"'"'s")
        if (from == "kit" && to != "measure")
                say(file " (kit) includes " to "/" name ": the kit uses only itself and measure/")
}
END {
        for (i = 1; i <= n_four; i++)
                for (j = i + 1; j <= n_four; j++)
                        if ((four[i], four[j]) in pair && (four[j], four[i]) in pair)
                                say(four[i] " and " four[j] " include each other")
        if (bad) {
                print "layering: the folders'"'"' graph (includer -> included: includes):"
                for (e in edge)
                        printf "  %7d %s\n", edge[e], e | "sort -k2"
                close("sort -k2")
                exit 1
        }
        print "ok: " includes " includes, every one pointing down; scenarios see only the kit"
}
' $(cat "$sources") scenarios/*.c tests/scenarios/*.c
