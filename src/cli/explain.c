/* explain: what a scenario does, what goes wrong or why it is safe, what to look for in its
 * numbers, which file to open, and its twin. */
#include "harness/registry.h"
#include "commands.h"
#include "options.h"
#include "kit/scenario.h"
#include "report/text.h"
#include "timeline/timeline.h"

#include <stdio.h>
#include <string.h>

/* What to look for, by family: where each family's lesson shows in the numbers. */
static const struct {
        enum family family;
        const char *look_for;
} look_for[] = {
        { FAMILY_NONE, "lost_updates (drinks the machine did not count) and collisions (shots that "
                  "overlapped), then race-check's report: the variable and the line." },
        { FAMILY_ATOMIC, "lost_updates at 0 next to collisions above 0, and race-check still finding "
                    "a race, on the rest of the shot." },
        { FAMILY_LOCK, "ns_per_drink and wait_ns p99 as baristas grow, contended, fairness, and "
                  "ctx_switches_per_drink (parking in the kernel, or preemption when baristas "
                  "outnumber cores); try compare for the curve." },
        { FAMILY_QUEUE, "queue_capacity, contended and wait_ns (backpressure when the queue is full), "
                   "hold_ns (the operator's time per shot), and drinks per second against "
                   "queue-mutex." },
        { FAMILY_MENU, "reads_per_sec as baristas grow, torn_reads, and update_ns (what a change "
                  "costs the manager)." },
        { FAMILY_SHOP, "seconds against sequential_seconds (the speedup) and cores_used, with "
                  "--work waiting and with --work cpu." },
        { FAMILY_DEADLOCK, "race-check's lock-order inversion, and the watchdog's diagnosis: who holds "
                      "what and waits for what." },
};

/* A paragraph indented by two, wrapped at 88 columns (readable in a terminal and on a
 * projector), and a blank line. */
static void print_paragraph(const char *text)
{
        text_paragraph(stdout, text, 2, 88);
        putchar('\n');
}

static const char *verdict_sentence(enum verdict v)
{
        switch (v) {
        case VERDICT_RACE:
                return "a data race: the scenario is broken on purpose";
        case VERDICT_DEADLOCK:
                return "a lock-order inversion: it can deadlock";
        default:
                return "nothing: the scenario is correct";
        }
}

/* "scenarios/mutex.c" from whatever path the compiler recorded. */
static const char *source_file(const char *path)
{
        const char *at = strstr(path, "scenarios/");
        return at ? at : path;
}

int command_explain(int argc, char **argv)
{
        if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                fputs(command_help("explain"), stdout);
                return EXIT_OK;
        }
        if (argc != 2)
                return usage_failure("explain takes one scenario (see 'espresso-lab list')");
        const struct scenario *s = scenario_find(argv[1]);
        if (!s) {
                char message[320];
                snprintf(message, sizeof(message), "unknown scenario '%s' (see 'espresso-lab list')",
                         argv[1]);
                return usage_failure(message);
        }
        printf("%s: %s\n\n", s->name, s->summary);
        printf("What happens\n");
        print_paragraph(s->lesson);
        printf("ThreadSanitizer should find\n  %s.\n\n", verdict_sentence(s->expect));
        for (size_t i = 0; i < sizeof(look_for) / sizeof(look_for[0]); i++)
                if (look_for[i].family == s->family) {
                        printf("What to look for\n");
                        print_paragraph(look_for[i].look_for);
                }
        size_t twins = 0;
        while (twins < SCENARIO_MAX_TWINS && s->twins[twins])
                twins++;
        if (twins) {
                printf("Its twin%s: %s\n", twins > 1 ? "s" : "",
                       s->expect == VERDICT_CLEAN ? "what goes wrong without this" : "the fix");
                for (size_t i = 0; i < twins; i++) {
                        const struct scenario *twin = scenario_find(s->twins[i]);
                        printf("  %s: %s\n", s->twins[i], twin ? twin->summary : "?");
                }
                putchar('\n');
        }
        printf("Read it\n  %s\n\nTry\n  espresso-lab run %s\n  espresso-lab race-check %s\n",
               source_file(s->source), s->name, s->name);
        if (!timeline_unavailable(s))
                printf("  espresso-lab timeline %s\n", s->name);
        /* A racy scenario's interleaving, shown step by step; a correct one, searched for one. */
        if (!s->no_schedule)
                printf("  espresso-lab explore %s\n", s->name);
        return EXIT_OK;
}
