/* What --help says, per command. Kept together so the wording stays consistent. */
#include "commands.h"

#include <string.h>

#ifndef ESPRESSO_VERSION
#define ESPRESSO_VERSION "0.0.0"
#endif

static const char intro_text[] =
        "espresso-lab " ESPRESSO_VERSION " — a lab about shared resources and thread safety.\n"
        "\n"
        "Several baristas (threads) share one espresso machine (shared state). Each scenario\n"
        "protects the machine its own way, or not at all. Run a scenario natively to measure what\n"
        "contention costs, or under ThreadSanitizer to see whether it is correct.\n"
        "\n"
        "Try first:\n"
        "  espresso-lab demo                    the race, the fix, and what the fix costs\n"
        "  espresso-lab list                    the scenarios\n"
        "  espresso-lab explain unsync          what a scenario shows, and where to look\n"
        "  espresso-lab run unsync              lost updates and collisions, live\n"
        "  espresso-lab timeline mutex          who waits for the machine, order by order\n"
        "  espresso-lab race-check unsync mutex what ThreadSanitizer says about each\n"
        "  espresso-lab compare                 the locks side by side, 1 to 8 baristas\n"
        "  espresso-lab exercise list           write a barista yourself...\n"
        "  espresso-lab check mine.c            ...and let the lab check it\n"
        "  espresso-lab detectors unsync mutex  TSan (clang, gcc), Helgrind and DRD side by side\n"
        "  espresso-lab explore unsync          the interleaving that loses a shot, to replay\n"
        "\n"
        "Commands: list, explain, run, timeline, race-check, compare, demo, bench, check,\n"
        "exercise, detectors, explore, replay.\n"
        "'espresso-lab COMMAND --help' for more.\n";

static const char list_help[] =
        "usage: espresso-lab list [--format table|json]\n"
        "\n"
        "Lists the scenarios: name, family, what ThreadSanitizer should find (race or clean),\n"
        "and a one-line summary. JSON adds each scenario's lesson.\n";

static const char run_help[] =
        "usage: espresso-lab run SCENARIO [--baristas N] [--orders N | --seconds S]\n"
        "                        [--shot-ns NS] [--prep-ns NS] [--updates-per-sec N]\n"
        "                        [--slow-motion] [--work waiting|cpu]\n"
        "                        [--stall-seconds S] [--max-seconds S] [--pin]\n"
        "                        [--format table|csv|json]\n"
        "\n"
        "Runs SCENARIO natively and reports what happened and what it cost.\n"
        "  --baristas N   threads sharing the machine (1 to 1024; default 4)\n"
        "  --orders N     orders in total, split among the baristas (default 400000)\n"
        "  --seconds S    or: take orders for S seconds (0.001 to 3600)\n"
        "  --shot-ns NS   busy work per shot, at the machine (default 0)\n"
        "  --prep-ns NS   busy work per order, away from the machine (default 0)\n"
        "  --updates-per-sec N  menu scenarios: how often the manager changes the menu\n"
        "                 (1 to 1000000; default 100)\n"
        "  --slow-motion  hold every race window open until another barista steps in, so\n"
        "                 collisions, lost shots and queues show in every run, on any machine\n"
        "  --work W       shop scenarios: drinks that mostly wait (default) or mostly use the CPU\n"
        "  --pin          pin barista i to CPU i (mod the CPUs there are)\n"
        "  --format F     table (default), csv or json\n"
        "\n"
        "  --stall-seconds S  end the run when no barista serves a drink for S seconds (default\n"
        "                 2), plus ten times the work of one order, times the tool's slowdown\n"
        "  --max-seconds S    cut a counted run short after S seconds (default 60)\n"
        "\n"
        "Exit status: 0 ok; 1 the scenario claims to be correct but an invariant broke\n"
        "(a lost shot, two baristas at the machine, an order not served); 2 bad usage;\n"
        "3 the run stalled (the watchdog ended it); 4 cut short at --max-seconds;\n"
        "130/143 interrupted by SIGINT/SIGTERM.\n";

static const char timeline_help[] =
        "usage: espresso-lab timeline SCENARIO [--baristas N] [--orders N] [--shot-ns NS]\n"
        "                             [--prep-ns NS] [--slow-motion] [--work waiting|cpu] [--pin]\n"
        "                             [--hold-waiter] [--width COLUMNS] [--format table|csv|json]\n"
        "                             [--svg FILE]\n"
        "\n"
        "A short run with every order timed, drawn as one lane per barista: preparing (-),\n"
        "waiting for the machine (~), pulling a shot (#), and X where more baristas were at the\n"
        "machine than it takes (a collision). Each barista records its own orders, so recording\n"
        "orders nothing between them.\n"
        "  --baristas N   default 3\n"
        "  --orders N     in total (default 8 per barista; at most 100000)\n"
        "  --shot-ns NS   busy work per shot (default 10000: long enough to see; 0 in the shop)\n"
        "  --prep-ns NS   busy work per order away from the machine (default 10000; 0 in the\n"
        "                 shop, whose drinks bring their own work and brewing)\n"
        "  --width C      columns of the terminal drawing (40 to 400; default 80)\n"
        "  --format F     table: the drawing (default); csv or json: every order's times, in ns\n"
        "                 from the first barista's start\n"
        "  --svg FILE     the lanes as an SVG picture, for slides\n"
        "  --hold-waiter  up to 20 times, once barista 1 has spent 20 us of CPU waiting for the\n"
        "                 machine, hold it still until another barista has got the machine on\n"
        "                 a later order (it overtook) or the others have spent 2 ms of CPU\n"
        "                 waiting behind it (first come, first served); says which, per hold\n"
        "Colours only on a terminal (NO_COLOR turns them off).\n"
        "\n"
        "Exit status: 0 ok; 1 a scenario that claims to be correct broke an invariant or had\n"
        "more baristas at the machine than it takes; 2 bad usage, or a scenario whose baristas\n"
        "never stand at the machine (queues, menus).\n";

static const char race_check_help[] =
        "usage: espresso-lab race-check [SCENARIO...] [--runs K] [--no-suppressions]\n"
        "                               [--no-annotations] [--format table|json]\n"
        "\n"
        "Runs each scenario (all by default) under espresso-lab-tsan, the ThreadSanitizer build\n"
        "beside this binary, with the project's tsan-suppressions, and compares what TSan reports\n"
        "with what the scenario expects. Prints per scenario the expected and observed verdicts,\n"
        "the number of reports and the first one's kind, source line and variable, and how many\n"
        "reports each suppression entry swallowed.\n"
        "  --runs K       runs per scenario (default 1); every run must match\n"
        "  --no-suppressions  run TSan without tsan-suppressions: what each entry hides\n"
        "  --no-annotations   switch the TSan annotations off: what TSan says of correct code\n"
        "                 that uses Concurrency Kit or liburcu without them (verdicts then\n"
        "                 differ from what the scenarios expect, and the exit status is 1)\n"
        "  --format F     table (default) or json\n"
        "\n"
        "Verdicts: race, lock-order-inversion, mutex-misuse, thread-leak, signal-unsafe, hung\n"
        "(the run never ended: a deadlock or an endless spin), clean, error. A race satisfies\n"
        "expect race; a lock-order inversion or a hang, expect deadlock; clean, expect clean.\n"
        "Every TSan run is bounded: cut short after 60 s, ended by its watchdog, killed at 120 s.\n"
        "\n"
        "Exit status: 0 every verdict as expected; 1 a mismatch or a run that failed; 2 bad usage;\n"
        "130/143 interrupted (the run in progress is killed).\n";

static const char compare_help[] =
        "usage: espresso-lab compare [--scenarios a,b,... | --family NAME] [--baristas 1,2,4,8 | 1..16]\n"
        "                            [--shot-ns N,...] [--prep-ns N,...] [--repeat K] [--seconds S]\n"
        "                            [--pin] [--format table|csv|json] [--svg FILE] [--html FILE]\n"
        "                            [--baseline OLD.json] [--from SAVED.json]\n"
        "\n"
        "Runs every cell of the grid (scenario x baristas x shot-ns x prep-ns) natively K times\n"
        "(default 3) for S seconds each (default 0.25), after a warm-up, and reports per cell the\n"
        "median and the spread (min-max) of ns per drink and drinks per second, wait p50/p99,\n"
        "fairness, context switches per drink, lost updates and collisions, beside each scenario's\n"
        "TSan verdict and TSan slowdown. Default: the lock family at 1, 2, 4 and 8 baristas.\n"
        "  --pin          pin barista i to CPU i (mod the CPUs there are)\n"
        "  --svg FILE     throughput and wait p99 against baristas, for slides\n"
        "  --html FILE    one self-contained page with the charts and the table\n"
        "  --baseline F   a saved --format json result: each cell's change, * when larger than\n"
        "                 the spread of the repeats\n"
        "  --from F       report a saved result again (new format, charts or baseline) instead\n"
        "                 of running the grid\n"
        "Progress goes to stderr when it is a terminal. Each cell runs in a process of its own:\n"
        "one that stalls or crashes is reported as such, and the sweep goes on. Scenarios that\n"
        "deadlock on purpose are left out. Interrupted (SIGINT, SIGTERM), it writes the cells\n"
        "finished so far, marked partial.\n"
        "\n"
        "Exit status: 0 ok; 1 a cell crashed or could not run, or an output could not be written;\n"
        "2 bad usage; 3 a cell stalled or timed out; 130/143 interrupted.\n";

static const char explain_help[] =
        "usage: espresso-lab explain SCENARIO\n"
        "\n"
        "What the scenario does, what goes wrong or why it is safe, what to look for in its\n"
        "numbers, its twin (a broken scenario's fix, or the other way round) and its source file.\n";

static const char demo_help[] =
        "usage: espresso-lab demo [--step | --fast]\n"
        "\n"
        "The lecture's storyline, in five scenes: one drink at a time, juggling drinks, three\n"
        "baristas at once (with their timelines); the three share an unprotected machine and\n"
        "lose shots and collide; ThreadSanitizer points at the line; a mutex fixes it; the fixes\n"
        "have costs; and a real deadlock is caught by the watchdog. At a terminal it pauses\n"
        "between scenes, about two minutes in all; into a pipe it runs straight on.\n"
        "  --step         wait for Enter between scenes instead of pausing\n"
        "  --fast         shorter runs and no pauses, for tests\n";

static const char check_help[] =
        "usage: espresso-lab check [--exercise NAME] [--format table|csv|json] FILE.c...\n"
        "\n"
        "Says whether the barista in each scenario file is thread-safe, why not, and what to\n"
        "look at. Builds the file natively and with ThreadSanitizer against the lab's kit, in a\n"
        "temporary directory (the file is not touched), then runs on each of its scenarios:\n"
        "  ThreadSanitizer  5 runs (race-check makes 1): no report may come\n"
        "  stress           timed runs at 1, 2, the cores and twice the cores baristas: no\n"
        "                   lost shot, no collision, every order served once, no stall\n"
        "  an exercise's goals (--exercise): no lock calls, fairness, reads against the\n"
        "                   reference scenario at the same settings\n"
        "Every build and run is boxed: its own process group, limits on CPU, memory, files,\n"
        "processes, output and wall-clock time; as root it runs as nobody. A finding points at\n"
        "the file's lines; a hint names the mechanism, not the fix. One file's check takes\n"
        "about 15 s, and never more than about 7 minutes (every build and run at its limit).\n"
        "  --exercise N   also check exercise N's goals (espresso-lab exercise list)\n"
        "  --format F     table (default); json: one object per file; csv: one row per file\n"
        "Progress goes to stderr when it is a terminal.\n"
        "\n"
        "Exit status: 0 every file passed; 1 some failed; 2 bad usage, or a file that does\n"
        "not compile or could not be checked.\n";

static const char detectors_help[] =
        "usage: espresso-lab detectors [SCENARIO... | FILE.c...] [--program FILE.c]...\n"
        "                              [--expect race|clean|deadlock] [--told-only]\n"
        "                              [--detectors LIST] [--format table|csv|json] [--svg FILE]\n"
        "\n"
        "Runs each subject under four race detectors: ThreadSanitizer built by clang and by gcc,\n"
        "Valgrind's Helgrind and DRD; each the same run race-check makes (2 threads, counted),\n"
        "bounded at 120 s, with the lab's annotations (told) and without (not told), and once\n"
        "natively to compare. For each: the verdict (race, lock-order, hung, clean, error), the\n"
        "reports, the first one's line, wall time and peak memory over the native run's. Then\n"
        "each detector's confusion matrix (TP FP TN FN) against what the subject is known to\n"
        "be, with precision, recall, F1, accuracy and the share of runs with a verdict, overall\n"
        "and per group (family, negative controls, student corpus, programs). A report is a true\n"
        "positive only if one of its accesses is at a line the subject marks with a comment\n"
        "\"the bug:\" (any line of its own, if it marks none).\n"
        "Subjects: the lab's scenarios by name (none: all of them); a scenario file (it holds\n"
        "SCENARIO(...)), built against the kit as check builds it; a C program with its own\n"
        "main() and pthreads (--program FILE.c, or any file without SCENARIO). A file says what\n"
        "it is with \"expect: race\" (or clean, deadlock) in its leading comment, or --expect.\n"
        "  --told-only      only the runs with annotations (half the time)\n"
        "  --detectors L    some of tsan-clang,tsan-gcc,helgrind,drd\n"
        "  --svg FILE       precision and recall per detector, and the slowdown (log scale)\n"
        "A detector that is not installed is reported missing. Exit status: 0; 2 bad usage or\n"
        "a subject that could not be built; 130/143 interrupted (what was run is reported).\n";

static const char explore_help[] =
        "usage: espresso-lab explore SCENARIO|FILE.c [--baristas N] [--orders K]\n"
        "                            [--strategy random|pct] [--seed S] [--depth D]\n"
        "                            [--budget N | --seconds S] [--find WHAT] [--no-shorten]\n"
        "                            [--format table|json]\n"
        "\n"
        "Runs the scenario on controlled schedules: one barista at a time, and at every\n"
        "scheduling point (an order, a step at the machine, a lock, an atomic, a menu read)\n"
        "the strategy chooses who goes next. random: a seeded random walk. pct: random\n"
        "priorities with D-1 change points (default D 2), which finds a bug of depth D with\n"
        "probability at least 1/(n*k^(D-1)) per schedule; the bound is printed. It stops at\n"
        "the first schedule that breaks an invariant (--find one of lost-shot, collision,\n"
        "torn-menu, orders, deadlock, misuse, freed-memory, handed-over, crash, broken;\n"
        "default any), shortens it to the fewest preemptions that still break it, and prints\n"
        "it with the replay command. Defaults: 2 baristas, 2 orders each, 1000 schedules.\n"
        "A controlled run measures nothing: no timing is printed. A clean search is evidence\n"
        "within its budget, not a proof. The shops cannot be stepped (their lesson is time).\n"
        "\n"
        "Exit status: 0 nothing broke; 1 a schedule broke it; 2 bad usage; 3 the scenario\n"
        "waits where the scheduler cannot see; 130/143 interrupted.\n";

static const char replay_help[] =
        "usage: espresso-lab replay SCENARIO|FILE.c SCHEDULE [--step] [--svg FILE] [--html FILE]\n"
        "                           [--format table|json]\n"
        "\n"
        "Runs exactly the schedule explore printed (\"unsync:b2:o4:b351a0:1x4.2\": barista 1\n"
        "for four steps, then barista 2, then the default), and tells it step by step: who\n"
        "read and wrote what, and where an invariant broke. The same steps every time, on any\n"
        "machine, even on one CPU. A schedule made for another scenario, another barista\n"
        "count or a changed file is refused, saying why.\n"
        "  --step       wait for Enter after each step (q and Enter ends it)\n"
        "  --svg FILE   the steps as lanes, one per barista, for a slide\n"
        "  --html FILE  a page that steps through them with buttons or the arrow keys\n"
        "\n"
        "Exit status: 0 every invariant held; 1 it broke one; 2 bad usage or a schedule that\n"
        "does not fit.\n";

static const char exercise_help[] =
        "usage: espresso-lab exercise list\n"
        "       espresso-lab exercise start NAME [DIR]\n"
        "       espresso-lab exercise hint NAME [K]\n"
        "\n"
        "list: the exercises, each with the lab's scenario that solves it. start: copies the\n"
        "starter file to DIR/NAME.c (default: here), never over an existing file. hint: hint K\n"
        "of 3 (default 1), each stronger than the last. Then: check --exercise NAME NAME.c.\n";

static const char bench_help[] =
        "usage: espresso-lab bench [overhead] [--orders N] [--repeat K]\n"
        "       espresso-lab bench repeatability\n"
        "       espresso-lab bench collapse\n"
        "\n"
        "overhead: what the harness adds per drink. Runs the mutex scenario with one barista and\n"
        "no busy work, and a bare lock/increment/unlock loop in this same binary, K times each\n"
        "(default 11) over N orders (default 5000000), and prints the medians and their ratio.\n"
        "repeatability: the mutex at 2 baristas measured as compare measures a cell (median of\n"
        "3 runs of 0.25 s), 5 times over, and the spread of those 5 medians; beside each, the\n"
        "same cell with 1 barista (the machine's own speed) and how long a cache line takes\n"
        "between the two CPUs and back (what every contended handover costs).\n"
        "collapse: a fair spinlock (spin-ck-ticket), an unfair one (spin-c11-tas) and a mutex\n"
        "with as many baristas as CPUs and with eight times as many, then on one CPU: the fair\n"
        "spinlock collapses when its next in line is preempted.\n";

const char *command_help(const char *command)
{
        static const struct {
                const char *command, *text;
        } texts[] = {
                { "list", list_help },     { "run", run_help },     { "race-check", race_check_help },
                { "demo", demo_help },     { "bench", bench_help },
                { "compare", compare_help },       { "explain", explain_help },
                { "timeline", timeline_help },     { "check", check_help },
                { "exercise", exercise_help },     { "detectors", detectors_help },
                { "explore", explore_help },       { "replay", replay_help },
        };

        for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
                if (strcmp(texts[i].command, command) == 0)
                        return texts[i].text;
        return intro_text;
}
