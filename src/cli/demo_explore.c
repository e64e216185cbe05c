/*
 * The demo's scene after ThreadSanitizer's: the one interleaving that loses a shot. TSan says
 * that two accesses race, a native run how often shots are lost; explore finds a schedule that
 * loses one, and replay tells it step by step, the same on every run and on any machine. Both
 * run as children of the demo: a controlled run needs the controlled twin, which the lab hands
 * over to (controlled_twin.c), and a child keeps the demo going whatever the twin does.
 */
#include "demo.h"

#include "explore/explore.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* A fixed seed: the same schedule is found on every machine, so a lecturer can rehearse it. */
#define EXPLORE_COMMAND "explore unsync --find lost-shot --orders 2 --seed 1 --format json"

/* explore's JSON, read from the child: the schedule that lost a shot, and how it was found. */
struct found_schedule {
        char text[SCHEDULE_TEXT_MAX];
        long long schedules, preemptions, steps;
};

static bool run_explore(struct found_schedule *found)
{
        json_error_t error;

        FILE *child = demo_open_lab(EXPLORE_COMMAND " 2>/dev/null");
        if (!child)
                return false;
        json_t *doc = json_loadf(child, JSON_DISABLE_EOF_CHECK, &error);
        pclose(child); /* exit 1 says a schedule broke it: the JSON says the rest */
        const char *text = json_string_value(json_object_get(doc, "schedule"));
        bool ok = json_is_true(json_object_get(doc, "found")) && text &&
                  strlen(text) < sizeof(found->text) &&
                  /* It goes into a command line below: only what a schedule is made of. */
                  strspn(text, "abcdefghijklmnopqrstuvwxyz0123456789:.-") == strlen(text);
        if (ok) {
                strcpy(found->text, text);
                found->schedules = json_integer_value(json_object_get(doc, "found_at"));
                found->preemptions = json_integer_value(json_object_get(doc, "preemptions"));
                found->steps = json_integer_value(json_object_get(doc, "steps"));
        }
        json_decref(doc);
        return ok;
}

/* Where a step line says what the barista did ("steps up to ..."), after the step's number and
 * "barista N": 0 if it is not a step line. */
static size_t action_column(const char *line)
{
        const char *who = strstr(line, "barista ");
        if (!who)
                return 0;
        const char *action = who + strlen("barista ");
        action += strspn(action, "0123456789");
        action += strspn(action, " ");
        return (size_t)(action - line);
}

/* One of replay's step lines; a note ("<- a shot is lost") that would run past the projector's
 * width goes on the next line, under what the barista did. */
static void print_step(const char *line)
{
        const char *note = strstr(line, "  <- ");
        size_t length = strcspn(line, "\n");

        if (!note || length <= DEMO_COLUMNS) {
                printf("%.*s\n", (int)length, line);
                return;
        }
        printf("%.*s\n%*s%.*s\n", (int)(note - line), line, (int)action_column(line), "",
               (int)(length - (size_t)(note + 2 - line)), note + 2);
}

/* replay's story of the schedule, its step lines only (the demo says the rest). True when the
 * replay lost a shot, as it must on every run. */
static bool run_replay(const struct found_schedule *found)
{
        char arguments[SCHEDULE_TEXT_MAX + 32], line[512];
        bool lost = false;

        snprintf(arguments, sizeof(arguments), "replay unsync %s 2>&1", found->text);
        FILE *child = demo_open_lab(arguments);
        if (!child)
                return false;
        while (fgets(line, sizeof(line), child)) {
                if (strncmp(line, "replay ", 7) == 0 || strncmp(line, "broken: ", 8) == 0)
                        continue; /* the heading and the verdict: said in the demo's words */
                print_step(line);
                lost |= strstr(line, "a shot is lost") != NULL;
        }
        int status = pclose(child);
        return lost && WIFEXITED(status) && WEXITSTATUS(status) == 1;
}

bool demo_scene_interleaving(void)
{
        struct found_schedule found;

        demo_heading("2", "The interleaving that loses a shot, every time (explore, replay)");
        printf("   A native run loses shots when the timing happens to; TSan says two accesses\n"
               "   race. explore runs 2 baristas, 2 orders each, one at a time, and chooses who\n"
               "   goes next at every step, until a schedule loses a shot.\n\n");
        if (!run_explore(&found)) {
                printf("   explore could not run (is espresso-lab-controlled built?)\n");
                return false;
        }
        printf("   Schedule %lld lost one. Shortened to %lld preemption%s, %lld steps:\n"
               "     %s\n",
               found.schedules, found.preemptions, found.preemptions == 1 ? "" : "s", found.steps,
               found.text);
        demo_beat();
        putchar('\n');
        bool lost = run_replay(&found);
        demo_beat();
        printf("\n   The same steps on every replay, on any machine, even on one CPU:\n"
               "     espresso-lab replay unsync %s --step\n",
               found.text);
        return lost;
}
