/*
 * The demo's first scene: one barista doing one drink at a time (sequential), one barista
 * juggling several (concurrent), three baristas at once (parallel). Twice: with drinks that
 * mostly wait (the machine brews), where juggling wins as much as three baristas do, and with
 * drinks that mostly work (grading papers), where juggling gains nothing and only more cores
 * help. The two sides are drawn next to each other, to one scale.
 */
#include "demo.h"

#include "harness/registry.h"
#include "harness/run.h"
#include "kit/die.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHOP_ORDERS 24
#define PANEL_COLUMNS 38 /* two panels and a gap within DEMO_COLUMNS, after DEMO_INDENT */
#define PANEL_GAP 1

static const struct {
        const char *scenario, *label;
} ways[] = {
        { "shop-sequential", "sequential" },
        { "shop-concurrent", "concurrent" },
        { "shop-parallel", "parallel" },
};
enum { WAYS = sizeof(ways) / sizeof(ways[0]) };

/* One side: the three ways with one kind of drink. */
struct shop_side {
        bool cpu_work;
        struct timeline timeline[WAYS];
        struct run_result result[WAYS];
        bool ran[WAYS];
};

static void run_side(struct shop_side *side, double *longest_ns)
{
        struct run_config config = { .baristas = 3, .orders = SHOP_ORDERS, .cpu_work = side->cpu_work };

        for (size_t w = 0; w < WAYS; w++) {
                const struct scenario *s = scenario_find(ways[w].scenario);
                side->ran[w] = s && timeline_run(s, &config, &side->result[w], &side->timeline[w]) == 0;
                if (side->ran[w] && side->timeline[w].span_ns > *longest_ns)
                        *longest_ns = side->timeline[w].span_ns;
        }
}

static void time_cell(const struct shop_side *side, size_t w, char *out, size_t size)
{
        if (side->ran[w])
                snprintf(out, size, "%6.1f ms (%3.1fx)", side->result[w].seconds * 1e3,
                         side->result[w].speedup);
        else
                snprintf(out, size, "could not run");
}

/* One side's axis and lanes, drawn into a string. */
static char *draw_side(struct shop_side *side, double longest_ns)
{
        struct timeline_layout panel = *demo_layout();
        char *text = NULL, label[32];
        size_t size = 0;
        FILE *out = open_memstream(&text, &size);
        bool axis_drawn = false;

        if (!out)
                lab_die("out of memory");
        panel.indent = 0;
        panel.columns = PANEL_COLUMNS;
        for (size_t w = 0; w < WAYS; w++) {
                struct timeline *t = &side->timeline[w];
                if (!side->ran[w])
                        continue;
                t->drawn_span_ns = longest_ns;
                if (!axis_drawn) {
                        timeline_draw_axis(out, t, &panel);
                        axis_drawn = true;
                }
                for (uint32_t i = 0; i < t->lane_count; i++) {
                        if (t->lane_count > 1)
                                snprintf(label, sizeof(label), "%s %u", ways[w].label, i + 1);
                        else
                                snprintf(label, sizeof(label), "%s", ways[w].label);
                        timeline_draw_lane(out, t, &t->lanes[i], label, &panel);
                }
        }
        fclose(out);
        return text;
}

/* Characters a terminal shows: colour escapes take no column. */
static unsigned visible_length(const char *line, size_t bytes)
{
        unsigned columns = 0;
        for (size_t i = 0; i < bytes; i++) {
                if (line[i] == '\033') {
                        while (i < bytes && line[i] != 'm')
                                i++;
                        continue;
                }
                columns += ((unsigned char)line[i] & 0xC0) != 0x80; /* one per UTF-8 character */
        }
        return columns;
}

/* Prints the two drawings line by line, next to each other. */
static void print_side_by_side(const char *left, const char *right)
{
        while (*left || *right) {
                size_t l = strcspn(left, "\n"), r = strcspn(right, "\n");
                printf("%*s%.*s%*s%.*s\n", DEMO_INDENT, "", (int)l, left,
                       (int)(PANEL_COLUMNS + PANEL_GAP - visible_length(left, l)), "", (int)r, right);
                left += l + (left[l] == '\n');
                right += r + (right[r] == '\n');
        }
}

void demo_scene_shop(void)
{
        struct shop_side waiting = { .cpu_work = false }, working = { .cpu_work = true };
        double longest_ns = 0;
        char a[32], b[32];

        demo_heading("0", "One at a time, juggling, at once (scenarios shop-*)");
        printf("   %u drinks of 2 ms each. Left: a little work, then the machine brews\n"
               "   (waiting). Right: all work, like grading a stack of papers (the CPU). %ld\n"
               "   cores here.\n\n",
               (unsigned)SHOP_ORDERS, sysconf(_SC_NPROCESSORS_ONLN));
        run_side(&waiting, &longest_ns);
        run_side(&working, &longest_ns);
        printf("   %-34s %-20s %s\n", "", "waiting drinks", "working drinks");
        static const char *const how[WAYS] = { "one barista, one drink at a time",
                                                "one barista juggling", "three baristas at once" };
        for (size_t w = 0; w < WAYS; w++) {
                time_cell(&waiting, w, a, sizeof(a));
                time_cell(&working, w, b, sizeof(b));
                printf("   %-34s %-20s %s\n", how[w], a, b);
        }
        demo_beat();
        printf("\n   %-*s%s\n", PANEL_COLUMNS + PANEL_GAP, "waiting drinks", "working drinks, to the same scale");
        char *left = draw_side(&waiting, longest_ns), *right = draw_side(&working, longest_ns);
        print_side_by_side(left, right);
        free(left);
        free(right);
        for (size_t w = 0; w < WAYS; w++)
                if (waiting.ran[w]) {
                        timeline_draw_legend(stdout, &waiting.timeline[w], demo_layout());
                        break;
                }
        for (size_t w = 0; w < WAYS; w++) {
                timeline_release(&waiting.timeline[w]);
                timeline_release(&working.timeline[w]);
        }
        demo_beat();
        printf("\n   Waiting drinks: juggling overlaps the waiting, and one barista does as\n"
               "   well as three, or better. Working drinks: juggling takes about as long as one\n"
               "   at a time; only more cores help, and three baristas share the cores there\n"
               "   are. All three share one espresso machine. What happens when nobody guards\n"
               "   it?\n");
}
