/*
 * demo: the storyline a lecture starts with. One barista, one juggling, three at once, with drinks
 * that wait and drinks that work (demo_shop.c); the three share an unprotected machine and lose
 * shots; ThreadSanitizer points at the line; explore finds the interleaving that loses one and
 * replay tells it step by step (demo_explore.c); a mutex fixes it; the fix has a price, and so
 * do the other fixes; and a deadlock is caught rather than hanging the lab.
 */
#include "harness/self.h"
#include "harness/registry.h"
#include "commands.h"
#include "demo.h"
#include "kit/die.h"
#include "options.h"
#include "tsan/race_check.h"
#include "tsan/race_check_report.h"
#include "report/report.h"
#include "harness/run.h"
#include "report/text.h"
#include "timeline/timeline.h"

#include <math.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEMO_BARISTAS 4
/* Timed, so the baristas surely overlap: a counted run can end before the last one starts. */
#define DEMO_SECONDS 1.0
#define DEMO_FAST_SECONDS 0.2
/* At a terminal the storyline takes two to three minutes: time to talk over each scene, and a
 * beat between what is shown and what it means. */
#define SCENE_PAUSE_SECONDS 22.0
#define BEAT_SECONDS 3.5

enum pacing {
        PACED_BY_NOTHING, /* --fast, or not a terminal: straight through */
        PACED_BY_CLOCK,   /* at a terminal: pauses long enough to talk over */
        PACED_BY_ENTER,   /* --step: the lecturer presses Enter for each scene */
};

static struct {
        enum pacing pacing;
        bool colour;
} show;

static void pause_seconds(double seconds)
{
        fflush(stdout);
        struct timespec left = { (time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9) };
        while (nanosleep(&left, &left) != 0)
                ;
}

void demo_beat(void)
{
        if (show.pacing == PACED_BY_CLOCK)
                pause_seconds(BEAT_SECONDS);
}

void demo_heading(const char *number, const char *title)
{
        static bool first = true;
        if (!first && show.pacing == PACED_BY_CLOCK)
                pause_seconds(SCENE_PAUSE_SECONDS);
        if (!first && show.pacing == PACED_BY_ENTER) {
                printf("\n   [Enter for the next scene]");
                fflush(stdout);
                for (int c = getchar(); c != '\n' && c != EOF; c = getchar())
                        ;
        }
        first = false;
        if (show.colour)
                printf("\n\033[1m%s  %s\033[0m\n", number, title);
        else
                printf("\n%s  %s\n", number, title);
}

const struct timeline_layout *demo_layout(void)
{
        static struct timeline_layout l = { DEMO_INDENT, DEMO_COLUMNS, false };
        l.colour = show.colour;
        return &l;
}

/* A short run of three baristas with every order timed, drawn with its legend and counts. */
static bool demo_timeline(const char *name, bool slow_motion)
{
        struct run_config config = {
                .baristas = 3, .orders = 3 * TIMELINE_DEFAULT_ORDERS_EACH,
                .prep_ns = TIMELINE_DEFAULT_PREP_NS, .shot_ns = TIMELINE_DEFAULT_SHOT_NS,
                .slow_motion = slow_motion,
        };
        struct timeline t = { 0 };
        struct run_result r;
        const struct scenario *s = scenario_find(name);
        bool ok = s && timeline_run(s, &config, &r, &t) == 0;

        if (ok) {
                putchar('\n');
                timeline_draw_text(stdout, &t, &r, demo_layout());
        }
        timeline_release(&t);
        return ok;
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
                printf("   <- %lld shots lost", (long long)r->lost_updates);
        printf("\n   collisions           %llu", (unsigned long long)r->collisions);
        if (r->collisions > 0)
                printf("   <- two at the machine at once");
        putchar('\n');
        if (r->lost_updates > 0)
                printf("   Lost: two baristas read the same count and wrote back the same number.\n");
        return true;
}

/* Prints TSan's verdict; true when it is what the scenario expects. */
static bool demo_tsan(const char *name, bool tsan_available)
{
        struct race_check_result check;
        const char *label = "   ThreadSanitizer      ";

        printf("%s", label);
        if (!tsan_available) {
                printf("not available (espresso-lab-tsan was not built)\n");
                return false;
        }
        race_check_scenario(scenario_find(name), 1, (struct race_check_mode){ 0 }, &check);
        if (check.failed) {
                printf("could not run: %s\n", check.why);
                return false;
        }
        char *finding = NULL;
        size_t size = 0;
        FILE *text = open_memstream(&finding, &size);
        if (!text)
                lab_die("out of memory");
        report_race_check_finding(text, check.scenario, &check.shown);
        fclose(text);
        text_wrap(stdout, finding, (unsigned)strlen(label), DEMO_COLUMNS);
        free(finding);
        return race_check_matched(&check);
}

FILE *demo_open_lab(const char *arguments)
{
        char self[PATH_MAX], command[PATH_MAX + 4096];

        if (lab_executable_path(self, sizeof(self)) != 0 ||
            (size_t)snprintf(command, sizeof(command), "'%s' %s", self, arguments) >= sizeof(command))
                return NULL;
        return popen(command, "r");
}

/* Runs the deadlock scenario in a child process (a real deadlock cannot be undone in this one)
 * and shows what the watchdog said. True when it caught the deadlock. */
static bool demo_deadlock(void)
{
        char line[256];
        bool caught = false;

        FILE *child = demo_open_lab("run deadlock --baristas 2 --orders 100000 2>&1 >/dev/null");
        if (!child)
                return false;
        printf("   Natively, the run hangs, and the watchdog says why:\n");
        while (fgets(line, sizeof(line), child)) {
                printf("     %s", line);
                caught |= strstr(line, "waits for") != NULL;
        }
        int status = pclose(child);
        return caught && WIFEXITED(status) && WEXITSTATUS(status) == EXIT_STALLED;
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

/* Scene 1: the race, counted, drawn, and pointed at by TSan. False if unsync did not run. */
static bool scene_race(const struct run_config *config, bool tsan_available,
                       struct run_result *unsync, bool *as_expected)
{
        demo_heading("1", "No protection (scenario unsync)");
        printf("   %u baristas pull shots whenever they like, for %.1f s. shots++ is read, add,\n"
               "   write: two baristas can read the same count.\n\n", config->baristas,
               config->seconds);
        if (!demo_run("unsync", config, unsync))
                return false;
        demo_beat();
        printf("\n   Up close, slowed down: 3 baristas, 8 orders each, X where two were at the\n"
               "   machine at once.\n");
        demo_timeline("unsync", true);
        demo_beat();
        printf("\n");
        *as_expected &= demo_tsan("unsync", tsan_available);
        return true;
}

/* Scene 3: the mutex, counted, drawn, and clean under TSan. False if mutex did not run. */
static bool scene_fix(const struct run_config *config, bool tsan_available,
                      struct run_result *mutex, bool *as_expected)
{
        demo_heading("3", "The fix: a mutex around the machine (scenario mutex)");
        printf("   lock, pull the shot, unlock: one barista at the machine at a time.\n\n");
        if (!demo_run("mutex", config, mutex))
                return false;
        demo_beat();
        printf("\n   Up close: the others wait their turn (~).\n");
        demo_timeline("mutex", false);
        demo_beat();
        printf("\n");
        *as_expected &= demo_tsan("mutex", tsan_available) && mutex->invariants_held;
        return true;
}

/* Scene 4: what the fix costs, beside spinlocks and an atomic counter. */
static void scene_costs(const struct run_config *config, const struct run_result *unsync,
                        const struct run_result *mutex)
{
        demo_heading("4", "What the fix costs, and other fixes");
        printf("   %-15s %10s %14s %10s %10s %12s\n", "", "ns/drink", "drinks/s", "wait p99",
               "contended", "ctx sw/drink");
        cost_row(unsync);
        cost_row(mutex);
        const char *others[] = { "spin-c11-ttas", "spin-ck-ticket", "atomic-counter" };
        struct run_result other;
        uint64_t atomic_collisions = 0;
        for (size_t i = 0; i < 3; i++) {
                const struct scenario *s = scenario_find(others[i]);
                if (!s || run_scenario(s, config, &other) != 0)
                        continue;
                cost_row(&other);
                if (strcmp(others[i], "atomic-counter") == 0)
                        atomic_collisions = other.collisions;
        }
        demo_beat();
        printf("\n   The mutex serves every drink at %.1fx the time per drink: baristas queue.\n"
               "   atomic-counter loses no shot, yet %llu shots overlapped: it is no lock.\n",
               mutex->ns_per_drink / unsync->ns_per_drink, (unsigned long long)atomic_collisions);
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        if (cores > 0 && config->baristas > (uint32_t)cores)
                printf("   %u spinning baristas on %ld cores: a ticket lock's next in line is often not\n"
                       "   even running, and everyone spins until it is.\n", config->baristas, cores);
}

/* Scene 5: the lock-order inversion, found by TSan and ended by the watchdog. */
static bool scene_deadlock(bool tsan_available)
{
        demo_heading("5", "A deadlock, caught (scenario deadlock)");
        printf("   Two baristas need the grinder and the machine, and take them in opposite\n"
               "   orders.\n");
        bool as_expected = demo_tsan("deadlock", tsan_available);
        demo_beat();
        as_expected &= demo_deadlock();
        demo_beat();
        printf("\n   The fix: one order for everyone (deadlock-ordered).\n"
               "   Next: espresso-lab explain unsync, timeline spin-ck-ticket, compare,\n"
               "   explore deadlock.\n");
        return as_expected;
}

int command_demo(int argc, char **argv)
{
        struct demo_options opts;
        struct run_result unsync, mutex;
        char err[256], why[320];
        int code;

        if (!command_parsed(parse_demo_options(argc, argv, &opts, err, sizeof(err)), "demo", err, &code))
                return code;
        show.colour = text_colour_wanted(stdout);
        if (opts.step)
                show.pacing = PACED_BY_ENTER;
        else if (!opts.fast && isatty(STDOUT_FILENO))
                show.pacing = PACED_BY_CLOCK;
        bool tsan_available = race_check_locate(why, sizeof(why)) == 0;
        struct run_config config = {
                .baristas = DEMO_BARISTAS,
                .seconds = opts.fast ? DEMO_FAST_SECONDS : DEMO_SECONDS,
        };
        bool as_expected = true;

        printf("espresso-lab: baristas (threads) and one espresso machine (shared state)\n");
        demo_scene_shop();
        if (!scene_race(&config, tsan_available, &unsync, &as_expected))
                return EXIT_CHECK_FAILED;
        as_expected &= demo_scene_interleaving();
        if (!scene_fix(&config, tsan_available, &mutex, &as_expected))
                return EXIT_CHECK_FAILED;
        scene_costs(&config, &unsync, &mutex);
        as_expected &= scene_deadlock(tsan_available);
        if (!tsan_available)
                fprintf(stderr, "espresso-lab: %s\n", why);
        return as_expected ? EXIT_OK : EXIT_CHECK_FAILED;
}
