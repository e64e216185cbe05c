/*
 * detectors' chart, drawn by hand as SVG like compare's: on the left, each detector's precision
 * and recall over everything run (told and not told side by side); on the right, its median
 * slowdown against the native run, on a log scale.
 */
#include "detectors_output.h"

#include "report/output_file.h"

#include <math.h>
#include <stdlib.h>

#define WIDTH 1200
#define HEIGHT 560
#define TOP 90
#define PANEL_H 360
#define PANEL_W 470
#define LEFT_1 80
#define LEFT_2 (LEFT_1 + PANEL_W + 120)

static const char *const bar_colours[4] = { "#1b9e77", "#a6dbc9", "#7570b3", "#c9c6e6" };

struct chart {
        const struct score_table *t;
};

static void fraction_panel(FILE *out, const struct score_table *t)
{
        int bottom = TOP + PANEL_H, group_w = PANEL_W / DETECTOR_COUNT, bar_w = (group_w - 20) / 4;

        fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"20\" font-weight=\"bold\">Precision and "
                "recall (overall)</text>\n", LEFT_1, TOP - 20);
        for (int tick = 0; tick <= 4; tick++) {
                int y = bottom - tick * PANEL_H / 4;
                fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>\n"
                        "<text x=\"%d\" y=\"%d\" font-size=\"14\" text-anchor=\"end\">%.2f</text>\n",
                        LEFT_1, y, LEFT_1 + PANEL_W, y, LEFT_1 - 8, y + 5, tick / 4.0);
        }
        for (int d = 0; d < DETECTOR_COUNT; d++) {
                int x = LEFT_1 + d * group_w + 10;
                for (int k = 0; k < 4; k++) {
                        enum telling tell = k % 2 ? NOT_TOLD : TOLD;
                        struct scores s = scores_of(&t->matrix[tell][d][t->groups - 1]);
                        double v = k < 2 ? s.precision : s.recall;
                        int h = isnan(v) ? 0 : (int)lround(v * PANEL_H);
                        char value[16];
                        if (isnan(v))
                                snprintf(value, sizeof(value), "n/a");
                        else
                                snprintf(value, sizeof(value), "%.2f", v);
                        fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                                "<title>%s %s, %s: %s</title></rect>\n", x + k * bar_w, bottom - h,
                                bar_w - 2, h, bar_colours[k], detector_title(d), k < 2 ? "precision" : "recall",
                                tell == TOLD ? "told" : "not told", value);
                        /* The figure above its bar, readable without hovering (a projector). */
                        fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>\n",
                                x + k * bar_w + (bar_w - 2) / 2, bottom - h - 4, value);
                }
                fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"15\" text-anchor=\"middle\">%s</text>\n",
                        x + 2 * bar_w, bottom + 22, detector_title(d));
        }
        static const char *const legend[4] = { "precision, told", "precision, not told",
                                               "recall, told", "recall, not told" };
        for (int k = 0; k < 4; k++)
                fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"16\" fill=\"%s\"/>"
                        "<text x=\"%d\" y=\"%d\" font-size=\"14\">%s</text>\n", LEFT_1 + k * 118,
                        bottom + 40, bar_colours[k], LEFT_1 + k * 118 + 20, bottom + 53, legend[k]);
}

static void slowdown_panel(FILE *out, const struct score_table *t)
{
        int bottom = TOP + PANEL_H, group_w = PANEL_W / DETECTOR_COUNT;
        double high = 10;

        for (int d = 0; d < DETECTOR_COUNT; d++)
                for (int tell = 0; tell < TELLINGS; tell++)
                        if (isfinite(t->median_slowdown[tell][d]))
                                high = fmax(high, t->median_slowdown[tell][d]);
        double decades = ceil(log10(high));
        fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"20\" font-weight=\"bold\">Median slowdown "
                "(log scale)</text>\n", LEFT_2, TOP - 20);
        for (int p = 0; p <= (int)decades; p++) {
                int y = bottom - (int)lround(p / decades * PANEL_H);
                fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>\n"
                        "<text x=\"%d\" y=\"%d\" font-size=\"14\" text-anchor=\"end\">x%.0f</text>\n",
                        LEFT_2, y, LEFT_2 + PANEL_W, y, LEFT_2 - 8, y + 5, pow(10, p));
        }
        for (int d = 0; d < DETECTOR_COUNT; d++) {
                int x = LEFT_2 + d * group_w + 20, bar_w = (group_w - 40) / 2;
                for (int tell = 0; tell < TELLINGS; tell++) {
                        double v = t->median_slowdown[tell][d];
                        int h = isfinite(v) && v > 1 ? (int)lround(log10(v) / decades * PANEL_H) : 0;
                        fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                                "<title>%s, %s: x%.1f</title></rect>\n", x + tell * bar_w, bottom - h,
                                bar_w - 2, h, bar_colours[tell], detector_title(d),
                                tell == TOLD ? "told" : "not told", isfinite(v) ? v : 0.0);
                        if (isfinite(v))
                                fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"12\" "
                                        "text-anchor=\"middle\">x%.0f</text>\n",
                                        x + tell * bar_w + (bar_w - 2) / 2, bottom - h - 4, v);
                }
                fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"15\" text-anchor=\"middle\">%s</text>\n",
                        x + bar_w, bottom + 22, detector_title(d));
        }
        static const char *const legend[TELLINGS] = { "told", "not told" };
        for (int tell = 0; tell < TELLINGS; tell++)
                fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"16\" fill=\"%s\"/>"
                        "<text x=\"%d\" y=\"%d\" font-size=\"14\">%s</text>\n", LEFT_2 + tell * 118,
                        bottom + 40, bar_colours[tell], LEFT_2 + tell * 118 + 20, bottom + 53, legend[tell]);
}

static void fill_svg(FILE *out, const void *arg)
{
        const struct chart *c = arg;

        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
        fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n",
                WIDTH, HEIGHT, WIDTH, HEIGHT);
        fprintf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
        fprintf(out, "<text x=\"%d\" y=\"36\" font-size=\"24\" font-weight=\"bold\">espresso-lab: "
                "which detector finds it, and what it costs</text>\n", LEFT_1);
        fraction_panel(out, c->t);
        slowdown_panel(out, c->t);
        fputs("</svg>\n", out);
}

int detectors_write_svg(const char *path, const struct subject_result *results, size_t n)
{
        struct score_table *t = calloc(1, sizeof(*t));
        if (!t)
                return -1;
        score_table_build(results, n, t);
        struct chart c = { t };
        int rc = output_file_write(path, fill_svg, &c);
        free(t);
        return rc;
}
