# With CPU drinks, juggling on one worker is no faster than one at a time (one core), while two
# baristas, threads or processes, keep two cores busy: C threads run in parallel. This compares
# cores used rather than seconds: this machine's speed drifts between runs, while CPU time over
# wall time does not depend on it. It needs two idle CPUs: beside a CPU-hungry process two
# baristas do not get two cores, and no bound can tell that from baristas that do not run in
# parallel, so it skips, saying so, when the CPUs are busy (and it runs alone: RUN_SERIAL).
. "$(dirname "$0")/lib.sh"
need_jq
need_idle_cpus 2 "comparing the cores two parallel baristas use"

cores() { # scenario baristas: 150 drinks, 0.3 s of CPU, so that a passing blip averages out
        "$LAB" run "$1" --baristas "$2" --orders 150 --work cpu --format json >"$WORK/out" ||
                fail "$1 --work cpu exited $?"
        jq_expect '.invariants_held and .drinks == 150'
        jq .cores_used "$WORK/out"
}
sequential=$(cores shop-sequential 1)
concurrent=$(cores shop-concurrent 1)
parallel=$(cores shop-parallel 2)
jq -en --argjson s "$sequential" --argjson c "$concurrent" '$s < 1.15 and $c < 1.15' >/dev/null ||
        fail "cpu: one worker used more than a core: sequential $sequential, concurrent $concurrent"
jq -en --argjson p "$parallel" '$p > 1.3' >/dev/null ||
        fail "cpu: two parallel baristas used only $parallel cores"
echo "ok: CPU drinks, cores used: sequential $sequential, concurrent $concurrent, parallel (2) $parallel"

# The same with processes: two baristas forked, the machine in shared memory.
processes=$(cores shop-processes 2)
jq_expect '.shots == 150 and .lost_updates == 0'
jq -en --argjson p "$processes" '$p > 1.3' >/dev/null ||
        fail "cpu: two barista processes used only $processes cores"
echo "ok: two barista processes used $processes cores"
