/* Timelines drawn: lanes in the terminal, and an SVG for slides. */
#include "timeline.h"

#include "kit/die.h"
#include "harness/run.h"
#include "report/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_WIDTH TIMELINE_LABEL_WIDTH

/* Time in the unit that suits the whole span: "350 ns", "41 us", "2.5 ms". */
struct time_unit {
        const char *name;
        double ns;
};

static struct time_unit unit_for(double span_ns)
{
        if (span_ns < 10e3)
                return (struct time_unit){ "ns", 1 };
        if (span_ns < 10e6)
                return (struct time_unit){ "us", 1e3 };
        return (struct time_unit){ "ms", 1e6 };
}

static void format_time(char *buf, size_t size, double ns, struct time_unit unit)
{
        double v = ns / unit.ns;
        snprintf(buf, size, v < 10 && v != floor(v) ? "%.1f %s" : "%.0f %s", v, unit.name);
}

/* A round step (1, 2 or 5 times a power of ten) giving about `ticks` ticks over span. */
static double tick_step(double span, int ticks)
{
        double raw = span / ticks, power = pow(10, floor(log10(raw)));
        double step = power;

        if (raw / power > 5)
                step = 10 * power;
        else if (raw / power > 2)
                step = 5 * power;
        else if (raw / power > 1)
                step = 2 * power;
        return step;
}

/* Two short lines under the lanes: how crowded the machine got, and what it cost. */
static void summary_lines(char *crowding, char *damage, size_t size, const struct timeline *t,
                          const struct run_result *r)
{
        snprintf(crowding, size, "at the machine at once: at most %u (it takes %u)",
                 t->most_at_machine, t->machine_takes);
        int n = snprintf(damage, size, "shots that overlapped another: %llu of %llu",
                         (unsigned long long)t->overlapping_shots,
                         (unsigned long long)timeline_orders(t));
        if (!t->scenario->without_machine)
                snprintf(damage + n, size - (size_t)n, "; shots lost: %lld", (long long)r->lost_updates);
}

static void heading_sentence(char *buf, size_t size, const struct timeline *t)
{
        const struct run_config *c = &t->config;
        struct time_unit prep = unit_for((double)c->prep_ns), shot = unit_for((double)c->shot_ns);
        char prep_text[32], shot_text[32];

        if (t->scenario->family == FAMILY_SHOP) {
                snprintf(buf, size, "%s: %u barista%s, %llu drinks, %s", t->scenario->name,
                         t->lane_count, t->lane_count == 1 ? "" : "s", (unsigned long long)c->orders,
                         c->cpu_work ? "all work (CPU)" : "mostly brewing (waiting)");
                return;
        }
        format_time(prep_text, sizeof(prep_text), (double)c->prep_ns, prep);
        format_time(shot_text, sizeof(shot_text), (double)c->shot_ns, shot);
        snprintf(buf, size, "%s: %u barista%s, %llu order%s, prep %s, shot %s%s", t->scenario->name,
                 t->lane_count, t->lane_count == 1 ? "" : "s", (unsigned long long)c->orders,
                 c->orders == 1 ? "" : "s",
                 prep_text, shot_text, c->slow_motion ? ", slow motion" : "");
}

/* What the lanes' states mean: in the shop, a drink's work and its brewing. */
struct legend {
        const char *preparing, *waiting, *at_machine, *collision;
};

static struct legend legend_for(const struct timeline *t)
{
        if (t->scenario->family == FAMILY_SHOP)
                return (struct legend){ "working", "brewing, waiting", "at the machine", "collision" };
        return (struct legend){ "preparing", "waiting", "at the machine", "collision" };
}

/* ---- terminal ------------------------------------------------------------------------------ */

static const char *colour_of(char glyph)
{
        switch (glyph) {
        case '-': return "\033[90m";   /* grey: away from the machine */
        case '~': return "\033[33m";   /* yellow: waiting */
        case '#': return "\033[32m";   /* green: pulling a shot */
        case 'X': return "\033[1;31m"; /* bold red: a collision */
        default: return "";
        }
}

static void put_row(FILE *out, const char *row, bool colour)
{
        char current = 0;

        for (const char *c = row; *c; c++) {
                if (colour && *c != current) {
                        fputs("\033[0m", out);
                        fputs(colour_of(*c), out);
                        current = *c;
                }
                fputc(*c, out);
        }
        if (colour)
                fputs("\033[0m", out);
}

/* The time axis above the lanes: a label at each round tick that fits. */
void timeline_draw_axis(FILE *out, const struct timeline *t, const struct timeline_layout *layout)
{
        double span = timeline_drawn_span(t);
        struct time_unit unit = unit_for(span);
        double step = tick_step(span, 4);
        unsigned bars = layout->columns - layout->indent - LABEL_WIDTH;
        char line[TIMELINE_MAX_WIDTH + 1], label[32];
        unsigned width = LABEL_WIDTH + bars, used = 0;

        memset(line, ' ', width);
        line[width] = '\0';
        for (double at = 0; step > 0 && at <= span; at += step) {
                unsigned column = LABEL_WIDTH + (unsigned)(at / span * bars);
                format_time(label, sizeof(label), at, unit);
                size_t length = strlen(label);
                if ((used && column < used + 2) || column + length > width)
                        continue;
                memcpy(line + column, label, length);
                used = column + (unsigned)length;
        }
        while (width > 0 && line[width - 1] == ' ')
                line[--width] = '\0';
        fprintf(out, "%*s%s\n", (int)layout->indent, "", line);
}

void timeline_draw_lane(FILE *out, const struct timeline *t, const struct timeline_lane *lane,
                        const char *label, const struct timeline_layout *layout)
{
        unsigned bars = layout->columns - layout->indent - LABEL_WIDTH;
        char row[TIMELINE_MAX_WIDTH + 1];

        timeline_lane_row(t, lane, bars, row);
        for (size_t end = strlen(row); end > 0 && row[end - 1] == ' '; end--)
                row[end - 1] = '\0';
        fprintf(out, "%*s%-*.*s", (int)layout->indent, "", LABEL_WIDTH, LABEL_WIDTH - 1, label);
        put_row(out, row, layout->colour);
        fputc('\n', out);
}

void timeline_draw_legend(FILE *out, const struct timeline *t, const struct timeline_layout *layout)
{
        struct legend legend = legend_for(t);
        const struct {
                const char *glyph, *meaning;
        } items[] = { { "-", legend.preparing }, { "~", legend.waiting },
                      { "#", legend.at_machine }, { "X", legend.collision } };
        unsigned start = layout->indent + LABEL_WIDTH, at = start;

        fprintf(out, "%*s", (int)start, "");
        for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
                unsigned width = 2 + (unsigned)strlen(items[i].meaning);
                if (at > start && at + 2 + width > layout->columns) {
                        fprintf(out, "\n%*s", (int)start, "");
                        at = start;
                } else if (at > start) {
                        fputs("  ", out);
                        at += 2;
                }
                put_row(out, items[i].glyph, layout->colour);
                fprintf(out, " %s", items[i].meaning);
                at += width;
        }
        fputc('\n', out);
}

/* Whether most shots are too short to show: '#' needs half a column. */
static bool shots_too_short(const struct timeline *t, unsigned bars)
{
        double half_column = timeline_drawn_span(t) / bars / 2;
        uint64_t shown = 0;

        for (uint32_t i = 0; i < t->lane_count; i++)
                for (uint64_t k = 0; k < t->lanes[i].count; k++)
                        shown += t->lanes[i].orders[k].done_ns - t->lanes[i].orders[k].got_ns >
                                 half_column;
        return shown * 2 < timeline_orders(t);
}

void timeline_draw_text(FILE *out, const struct timeline *t, const struct run_result *r,
                        const struct timeline_layout *layout)
{
        char text[256], more[256], label[32];
        unsigned bars = layout->columns - layout->indent - LABEL_WIDTH;

        unsigned under_lanes = layout->indent + LABEL_WIDTH;

        heading_sentence(text, sizeof(text), t);
        text_paragraph(out, text, layout->indent, layout->columns); /* where the labels start */
        timeline_draw_axis(out, t, layout);
        for (uint32_t i = 0; i < t->lane_count; i++) {
                /* "barista 7", or just the number where "barista 100" would not fit. */
                snprintf(label, sizeof(label), t->lane_count < 100 ? "barista %u" : "%u",
                         t->lanes[i].barista);
                timeline_draw_lane(out, t, &t->lanes[i], label, layout);
        }
        timeline_draw_legend(out, t, layout);
        summary_lines(text, more, sizeof(text), t, r);
        text_paragraph(out, text, under_lanes, layout->columns);
        text_paragraph(out, more, under_lanes, layout->columns);
        if (shots_too_short(t, bars))
                text_paragraph(out, "most shots are shorter than half a column, too short to "
                               "show: draw fewer orders, or widen with --width",
                               under_lanes, layout->columns);
        if (timeline_unrecorded(t) > 0) {
                snprintf(text, sizeof(text), "%llu orders not drawn: their times interleave with the "
                         "barista's other orders", (unsigned long long)timeline_unrecorded(t));
                text_paragraph(out, text, under_lanes, layout->columns);
        }
}

/* ---- SVG ----------------------------------------------------------------------------------- */

enum { SVG_WIDTH = 1000, SVG_LEFT = 110, SVG_RIGHT = 30, SVG_TOP = 84, SVG_LANE = 36,
       SVG_LANE_GAP = 12 };

static const char *const fill_preparing = "#d9d9d9", *const fill_waiting = "#f2b134",
                  *const fill_shot = "#6f4e37", *const fill_collision = "#d62728";

struct svg_lane {
        FILE *out;
        double x_per_ns;
        int y;
};

static void svg_rect(const struct svg_lane *l, double from, double to, int inset, const char *fill)
{
        if (to <= from)
                return;
        fprintf(l->out, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"/>\n",
                SVG_LEFT + from * l->x_per_ns, l->y + inset, (to - from) * l->x_per_ns,
                SVG_LANE - 2 * inset, fill);
}

static void svg_crowded(void *context, uint64_t order, double from, double to)
{
        (void)order;
        svg_rect(context, from, to, 0, fill_collision);
}

static void svg_legend_item(FILE *out, int x, int y, const char *fill, const char *label)
{
        fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"18\" height=\"18\" fill=\"%s\"/>\n", x, y - 14,
                fill);
        fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"16\">%s</text>\n", x + 26, y, label);
}

void timeline_draw_svg(FILE *out, const struct timeline *t, const struct run_result *r)
{
        int lanes_bottom = SVG_TOP + (int)t->lane_count * (SVG_LANE + SVG_LANE_GAP);
        int height = lanes_bottom + 56;
        double span = timeline_drawn_span(t);
        struct svg_lane lane = { out, (SVG_WIDTH - SVG_LEFT - SVG_RIGHT) / span, 0 };
        struct time_unit unit = unit_for(span);
        char text[256];

        fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n",
                SVG_WIDTH, height, SVG_WIDTH, height);
        fputs("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", out);
        heading_sentence(text, sizeof(text), t);
        fprintf(out, "<text x=\"%d\" y=\"32\" font-size=\"22\" font-weight=\"bold\">%s</text>\n",
                SVG_LEFT, text);
        /* The axis: round ticks with a faint line down through the lanes. */
        double step = tick_step(span, 8);
        for (double at = 0; step > 0 && at <= span; at += step) {
                double x = SVG_LEFT + at * lane.x_per_ns;
                format_time(text, sizeof(text), at, unit);
                fprintf(out, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"#eeeeee\"/>\n",
                        x, SVG_TOP - 8, x, lanes_bottom - SVG_LANE_GAP);
                fprintf(out, "<text x=\"%.2f\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\">%s"
                        "</text>\n", x, SVG_TOP - 14, text);
        }
        for (uint32_t i = 0; i < t->lane_count; i++) {
                const struct timeline_lane *l = &t->lanes[i];
                lane.y = SVG_TOP + (int)i * (SVG_LANE + SVG_LANE_GAP);
                fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"16\">barista %u</text>\n", 12,
                        lane.y + SVG_LANE / 2 + 6, l->barista);
                for (uint64_t k = 0; k < l->count; k++) {
                        const struct timeline_order *o = &l->orders[k];
                        svg_rect(&lane, o->prep_ns, o->want_ns, 10, fill_preparing);
                        svg_rect(&lane, o->want_ns, o->got_ns, 6, fill_waiting);
                        svg_rect(&lane, o->got_ns, o->done_ns, 2, fill_shot);
                }
                timeline_visit_crowded(t, l, svg_crowded, &lane);
        }
        int y = lanes_bottom + 16;
        struct legend legend = legend_for(t);
        svg_legend_item(out, SVG_LEFT, y, fill_preparing, legend.preparing);
        svg_legend_item(out, SVG_LEFT + 170, y, fill_waiting, legend.waiting);
        svg_legend_item(out, SVG_LEFT + 370, y, fill_shot, legend.at_machine);
        svg_legend_item(out, SVG_LEFT + 570, y, fill_collision,
                        "collision: more at the machine than it takes");
        char more[256];
        summary_lines(text, more, sizeof(text), t, r);
        fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"16\">%s; %s</text>\n", SVG_LEFT, y + 32,
                text, more);
        fputs("</svg>\n", out);
}
