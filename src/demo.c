/*
 * demo: the showcase a lecture starts with. Baristas share an unprotected machine and lose shots;
 * ThreadSanitizer points at the line; a mutex fixes it; the fix has a price, and so do the other
 * fixes; and a deadlock is caught rather than hanging the lab.
 */
#include "commands.h"
#include "options.h"
#include "race_check.h"
#include "report.h"
#include "run.h"

#include <math.h>
#include <stdio.h>
#include <limits.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEMO_BARISTAS 4
/* Timed, so the baristas surely overlap: a counted run can end before the last one starts. */
#define DEMO_SECONDS 1.0
#define DEMO_FAST_SECONDS 0.2

static bool use_colour;
static bool paced; /* a person at a terminal: wait for Enter between scenes */

static void heading(const char *number, const char *title)
{
        static bool first = true;
        if (paced && !first) {
                printf("\n   [Enter for the next scene]");
                fflush(stdout);
                for (int c = getchar(); c != '\n' && c != EOF; c = getchar())
                        ;
        }
        first = false;
        if (use_colour)
                printf("\n\033[1m%s  %s\033[0m\n", number, title);
        else
                printf("\n%s  %s\n", number, title);
}

static bool demo_run(const char *name, const struct run_config *config, struct run_result *r)
{
        const struct scenario *s = scenario_find(name);

        if (!s || run_scenario(s, config, r) != 0) {
                fprintf(stderr, "espresso-lab: demo could not run %s\n", name);
                return false;
        }
        printf("   drinks served        %llu\n", (unsigned long long)r->drinks);
        printf("   shots counted        %llu", (unsigned long long)r->shots);
        if (r->lost_updates > 0)
                printf("   <- %lld shots lost: two baristas wrote back the same count",
                       (long long)r->lost_updates);
        printf("\n   collisions           %llu", (unsigned long long)r->collisions);
        if (r->collisions > 0)
                printf("   <- shots pulled while someone else was at the machine");
        putchar('\n');
        return true;
}

/* Prints TSan's verdict; true when it is what the scenario expects. */
static bool demo_tsan(const char *name, bool tsan_available)
{
        struct race_check_result check;

        printf("   ThreadSanitizer      ");
        if (!tsan_available) {
                printf("not available (espresso-lab-tsan was not built)\n");
                return false;
        }
        race_check_scenario(scenario_find(name), 1, (struct race_check_mode){ 0 }, &check);
        if (check.failed) {
                printf("could not run: %s\n", check.why);
                return false;
        }
        report_first_tsan_finding(stdout, &check.findings);
        putchar('\n');
        return race_check_matched(&check);
}

#define DEMO_SHOP_ORDERS 24

/* One scene of the shop: a batch of waiting drinks served one way, and how long it took. */
static void demo_shop(const char *name, const char *how)
{
        struct run_config config = { .baristas = 3, .orders = DEMO_SHOP_ORDERS };
        struct run_result r;

        if (!scenario_find(name) || run_scenario(scenario_find(name), &config, &r) != 0)
                return;
        printf("   %-16s %-42s %6.1f ms  (%4.1fx)\n", name, how, r.seconds * 1e3, r.speedup);
}

/* Runs the deadlock scenario in a child process (a real deadlock cannot be undone in this one)
 * and shows what the watchdog said. True when it caught the deadlock. */
static bool demo_deadlock(void)
{
        char self[PATH_MAX], command[PATH_MAX + 128], line[256];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        bool caught = false;

        if (n < 0)
                return false;
        self[n] = '\0';
        snprintf(command, sizeof(command), "'%s' run deadlock --baristas 2 --orders 100000 2>&1 >/dev/null",
                 self);
        FILE *child = popen(command, "r");
        if (!child)
                return false;
        printf("   Natively, the run hangs, and the watchdog says why:\n");
        while (fgets(line, sizeof(line), child)) {
                printf("     %s", line);
                caught |= strstr(line, "waits for") != NULL;
        }
        int status = pclose(child);
        return caught && WIFEXITED(status) && WEXITSTATUS(status) == 1;
}

static void cost_row(const struct run_result *r)
{
        char contended[16] = "-", wait_p99[24] = "-";

        if (!isnan(r->contended))
                snprintf(contended, sizeof(contended), "%.1f%%", r->contended * 100);
        if (r->wait.sampled)
                snprintf(wait_p99, sizeof(wait_p99), "%.0f ns", r->wait.p99_ns);
        printf("   %-15s %10.1f %14.0f %10s %10s %12.4f\n", r->scenario->name, r->ns_per_drink,
               r->drinks_per_sec, wait_p99, contended, r->ctx_switches_per_drink);
}

int command_demo(int argc, char **argv)
{
        struct demo_options opts;
        struct run_result unsync, mutex;
        char err[256], why[320];
        int code;

        if (!command_parsed(parse_demo_options(argc, argv, &opts, err, sizeof(err)), "demo", err, &code))
                return code;
        use_colour = isatty(STDOUT_FILENO);
        paced = !opts.fast && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
        bool tsan_available = race_check_locate(why, sizeof(why)) == 0;
        struct run_config config = {
                .baristas = DEMO_BARISTAS,
                .seconds = opts.fast ? DEMO_FAST_SECONDS : DEMO_SECONDS,
        };

        printf("espresso-lab: %u baristas, one espresso machine, %.1f seconds of orders each round\n",
               config.baristas, config.seconds);

        heading("0", "One at a time, juggling, at once (scenarios shop-*)");
        printf("   %u drinks of 2 ms each, mostly waiting for the machine to brew.\n",
               (unsigned)DEMO_SHOP_ORDERS);
        demo_shop("shop-sequential", "one barista, one drink at a time");
        demo_shop("shop-concurrent", "one barista juggling: brewing overlaps");
        demo_shop("shop-parallel", "three baristas side by side");
        printf("   Three baristas still share one espresso machine. What happens when nobody\n"
               "   guards it?\n");

        heading("1", "No protection (scenario unsync)");
        printf("   Every barista pulls shots whenever it likes. shots++ is read, add, write.\n");
        if (!demo_run("unsync", &config, &unsync))
                return EXIT_CHECK_FAILED;
        bool as_expected = demo_tsan("unsync", tsan_available);

        heading("2", "The fix: a mutex around the machine (scenario mutex)");
        printf("   lock, pull the shot, unlock: one barista at the machine at a time.\n");
        if (!demo_run("mutex", &config, &mutex))
                return EXIT_CHECK_FAILED;
        as_expected &= demo_tsan("mutex", tsan_available) && mutex.invariants_held;

        heading("3", "What the fix costs, and other fixes");
        printf("   %-15s %10s %14s %10s %10s %12s\n", "", "ns/drink", "drinks/s", "wait p99",
               "contended", "ctx sw/drink");
        cost_row(&unsync);
        cost_row(&mutex);
        const char *others[] = { "spin-c11-ttas", "spin-ck-ticket", "atomic-counter" };
        struct run_result other;
        uint64_t atomic_collisions = 0;
        for (size_t i = 0; i < 3; i++) {
                const struct scenario *s = scenario_find(others[i]);
                if (!s || run_scenario(s, &config, &other) != 0)
                        continue;
                cost_row(&other);
                if (strcmp(others[i], "atomic-counter") == 0)
                        atomic_collisions = other.collisions;
        }
        printf("   The mutex serves every drink, at %.1fx the time per drink: baristas now queue.\n"
               "   atomic-counter loses no shot yet still collides: %llu shots overlapped.\n",
               mutex.ns_per_drink / unsync.ns_per_drink, (unsigned long long)atomic_collisions);

        heading("4", "A deadlock, caught (scenario deadlock)");
        printf("   Two baristas need the grinder and the machine, and take them in opposite orders.\n");
        as_expected &= demo_tsan("deadlock", tsan_available);
        as_expected &= demo_deadlock();
        if (!tsan_available)
                fprintf(stderr, "espresso-lab: %s\n", why);
        return as_expected ? EXIT_OK : EXIT_CHECK_FAILED;
}
