#!/usr/bin/env bash
# The layering, checked from the #include lines: dependencies point down, folder by folder,
#   cli -> compare, timeline, tsan, report, check, detectors -> harness -> kit -> measure
# (folders on one floor may use each other, but not in a circle); a scenario includes only the
# kit; a kit header includes only the kit and the measurements its inline code needs. On a
# failure it prints every include that breaks a rule, and the graph of folders.
# Usage: tests/layering.sh [SOURCE_DIR]   (default: the project this script is in)
set -u
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 2

floor() { # folder: its floor, the higher the further up
        case "$1" in
        cli) echo 5 ;;
        compare | timeline | tsan | report | check | detectors) echo 4 ;;
        harness) echo 3 ;;
        kit) echo 2 ;;
        measure) echo 1 ;;
        *) echo 0 ;;
        esac
}
KIT_HEADER_MAY_USE="clock.h busywork.h stats.h cpu.h" # of measure/: the inline barista loop's

bad=0
say() { echo "layering: $*"; bad=1; }
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT

# src/: every quoted include, resolved as the compiler would (beside the file, then src/).
for file in $(find src -name '*.[ch]' | sort); do
        from=$(echo "$file" | cut -d/ -f2)
        grep -o '^#include "[^"]*"' "$file" | sed 's/^#include "\(.*\)"/\1/' | while read -r inc; do
                dir=$(dirname "$file")
                if [ -f "$dir/$inc" ]; then
                        target=$(realpath --relative-to=src "$dir/$inc")
                elif [ -f "src/$inc" ]; then
                        target=$inc
                else
                        echo "MISSING $file $inc"
                        continue
                fi
                echo "$file ${target%%/*} $(basename "$target") $from"
        done
done >"$edges"
grep '^MISSING' "$edges" | while read -r _ file inc; do say "$file includes \"$inc\", which is not in src/"; done
grep -v '^MISSING' "$edges" | while read -r file to name from; do
        [ "$to" = "$from" ] && continue
        if [ "$(floor "$to")" -gt "$(floor "$from")" ]; then
                say "$file ($from) includes $to/$name, a floor up"
        fi
        if [ "$from" = kit ] && [ "${file##*.}" = h ] && [ "$to" = measure ] &&
                ! echo " $KIT_HEADER_MAY_USE " | grep -q " $name "; then
                say "$file, a kit header, includes measure/$name: only $KIT_HEADER_MAY_USE are the kit's"
        fi
        if [ "$from" = kit ] && [ "$to" != measure ]; then
                say "$file (kit) includes $to/$name: the kit uses only itself and measure/"
        fi
done >"$edges.said"
cat "$edges.said"
[ -s "$edges.said" ] && bad=1

# Circles among the folders of one floor.
pairs=$(grep -v '^MISSING' "$edges" | awk '$2 != $4 { print $4, $2 }' | sort -u)
for a in compare timeline tsan report check detectors; do
        for b in compare timeline tsan report check detectors; do
                [ "$a" \< "$b" ] || continue
                if echo "$pairs" | grep -qx "$a $b" && echo "$pairs" | grep -qx "$b $a"; then
                        say "$a and $b include each other"
                        bad=1
                fi
        done
done

# Scenarios: only the kit.
for file in scenarios/*.c tests/scenarios/*.c; do
        grep -o '^#include "[^"]*"' "$file" | sed 's/^#include "\(.*\)"/\1/' | while read -r inc; do
                resolved=$(realpath -m --relative-to=src/kit "src/kit/$inc")
                if [ ! -f "src/kit/$inc" ] || [ "${resolved#../}" != "$resolved" ]; then
                        echo "layering: $file includes \"$inc\": a scenario includes only the kit (src/kit)"
                fi
        done
done >"$edges.said"
cat "$edges.said"
[ -s "$edges.said" ] && bad=1
rm -f "$edges.said"

if [ "$bad" -ne 0 ]; then
        echo "layering: the folders' graph (includer -> included: includes):"
        grep -v '^MISSING' "$edges" | awk '$2 != $4 { print "  " $4 " -> " $2 }' | sort | uniq -c
        exit 1
fi
echo "ok: $(grep -vc '^MISSING' "$edges") includes, every one pointing down; scenarios see only the kit"
