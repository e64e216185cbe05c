# busy_cpus [SECONDS]: how many CPUs something kept busy over SECONDS (default 0.5) of /proc/stat,
# e.g. "0.1" or "1.9". Not the load average: a minute after a build it still counts the compiler.
# Sourced by tests/cli/lib.sh and tests/soak.sh.
busy_cpus() {
        local before after
        before=$(grep '^cpu ' /proc/stat)
        sleep "${1:-0.5}"
        after=$(grep '^cpu ' /proc/stat)
        # cpu user nice system idle iowait irq softirq steal (guest time, after that, is in user):
        # all but idle and iowait is work, the hypervisor's steal included.
        awk -v a="$before" -v b="$after" -v cpus="$(nproc)" 'BEGIN {
                split(a, x, " "); split(b, y, " ")
                for (i = 2; i <= 9; i++) { d = y[i] - x[i]; all += d; if (i == 5 || i == 6) idle += d }
                printf "%.1f", (all > 0 ? (all - idle) / all * cpus : 0)
        }'
}
