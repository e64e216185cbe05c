/*
 * compare's pictures, drawn by hand as SVG: throughput and wait p99 against baristas, one line
 * per scenario, log scales, a legend. A small writer of our own rather than gnuplot: no extra
 * package, identical output on every machine, and text a test can parse.
 */
#include "harness/registry.h"
#include "compare.h"

#include "report/output_file.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 1440
#define HEIGHT 620
#define PANEL_W 460
#define PANEL_H 420
#define TOP 80
#define LEFT_1 90
#define LEFT_2 (LEFT_1 + PANEL_W + 110)

static const char *const palette[] = {
        "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
        "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6", "#ff7f00", "#6a3d9a", "#b15928", "#33a02c",
};
#define COLOURS (sizeof(palette) / sizeof(palette[0]))

struct axis {
        double low, high; /* powers of ten around the data */
};

static struct axis log_axis(const struct compare_result *r, bool wait)
{
        double low = INFINITY, high = 0;
        for (size_t i = 0; i < r->cell_count; i++) {
                double v = wait ? r->cells[i].wait_p99_ns : r->cells[i].drinks_per_sec.median;
                if (v > 0 && isfinite(v)) {
                        low = fmin(low, v);
                        high = fmax(high, v);
                }
        }
        if (!(high > 0))
                return (struct axis){ 1, 10 };
        struct axis a = { pow(10, floor(log10(low))), pow(10, ceil(log10(high))) };
        if (a.high <= a.low)
                a.high = a.low * 10;
        return a;
}

/* 1, 10, 100, 1k ... 1G: short tick labels that read at a distance. */
static void tick_label(char *buf, size_t size, double v)
{
        static const char *const suffix[] = { "", "k", "M", "G", "T", "P" };
        int power = (int)lround(log10(v)), group = power / 3;
        if (power < 0 || group > 5) {
                snprintf(buf, size, "%g", v);
                return;
        }
        snprintf(buf, size, "%.0f%s", pow(10, power - 3 * group), suffix[group]);
}

static double y_of(struct axis a, double v)
{
        return TOP + PANEL_H - (log10(v) - log10(a.low)) / (log10(a.high) - log10(a.low)) * PANEL_H;
}

static double x_of(const struct compare_options *o, size_t index)
{
        (void)o;
        return o->baristas_count > 1 ? (double)index / (double)(o->baristas_count - 1) * PANEL_W
                                     : PANEL_W / 2.0;
}

static void draw_panel(FILE *out, const struct compare_result *r, int left, bool wait,
                       const char *title, const char *unit)
{
        const struct compare_options *o = &r->options;
        struct axis a = log_axis(r, wait);

        fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"20\" font-weight=\"bold\">%s</text>\n",
                left, TOP - 20, title);
        fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                "stroke=\"#444\"/>\n", left, TOP, PANEL_W, PANEL_H);
        for (double v = a.low; v <= a.high * 1.001; v *= 10) {
                double y = y_of(a, v);
                fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                        left, y, left + PANEL_W, y);
                char label[16];
                tick_label(label, sizeof(label), v);
                fprintf(out, "<text x=\"%d\" y=\"%.1f\" font-size=\"14\" text-anchor=\"end\">%s</text>\n",
                        left - 8, y + 5, label);
        }
        for (size_t i = 0; i < o->baristas_count; i++) {
                double x = left + x_of(o, i);
                fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\">%llu</text>\n",
                        x, TOP + PANEL_H + 22, (unsigned long long)o->baristas[i]);
        }
        fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"16\" text-anchor=\"middle\">baristas (threads)</text>\n",
                left + PANEL_W / 2, TOP + PANEL_H + 50);
        fprintf(out, "<text transform=\"translate(%d,%d) rotate(-90)\" font-size=\"16\" "
                "text-anchor=\"middle\">%s (log scale)</text>\n", left - 62, TOP + PANEL_H / 2, unit);
        for (size_t s = 0; s < o->scenario_count; s++) {
                const char *colour = palette[s % COLOURS];
                const char *dash = s >= COLOURS ? " stroke-dasharray=\"6 4\"" : "";
                fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"3\"%s points=\"",
                        colour, dash);
                for (size_t b = 0; b < o->baristas_count; b++)
                        for (size_t i = 0; i < r->cell_count; i++) {
                                const struct compare_cell *c = &r->cells[i];
                                double v = wait ? c->wait_p99_ns : c->drinks_per_sec.median;
                                if (c->scenario == o->scenarios[s] && c->baristas == o->baristas[b] &&
                                    c->shot_ns == o->shot_ns[0] && c->prep_ns == o->prep_ns[0] &&
                                    v > 0 && isfinite(v))
                                        fprintf(out, "%.1f,%.1f ", left + x_of(o, b), y_of(a, v));
                        }
                fputs("\"/>\n", out);
        }
}

/* Text as XML character data: a saved result read back (--from) may hold anything. */
static void write_escaped(FILE *out, const char *text)
{
        for (; *text; text++) {
                if (*text == '<')
                        fputs("&lt;", out);
                else if (*text == '>')
                        fputs("&gt;", out);
                else if (*text == '&')
                        fputs("&amp;", out);
                else
                        fputc(*text, out);
        }
}

void compare_svg(FILE *out, const struct compare_result *r)
{
        const struct compare_options *o = &r->options;

        fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n",
                WIDTH, HEIGHT, WIDTH, HEIGHT);
        fprintf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
        fprintf(out, "<text x=\"%d\" y=\"32\" font-size=\"24\" font-weight=\"bold\">espresso-lab: "
                "what contention costs (shot %llu ns, prep %llu ns, median of %u runs)</text>\n",
                LEFT_1, (unsigned long long)o->shot_ns[0], (unsigned long long)o->prep_ns[0],
                o->repeat);
        if (r->partial) {
                fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"18\" fill=\"#d62728\">Partial: ",
                        LEFT_1, HEIGHT - 20);
                write_escaped(out, r->partial_because);
                fputs("</text>\n", out);
        }
        draw_panel(out, r, LEFT_1, false, "Throughput", "drinks per second");
        draw_panel(out, r, LEFT_2, true, "Waiting for the machine (p99)", "wait p99, ns");
        int legend_x = LEFT_2 + PANEL_W + 30;
        for (size_t s = 0; s < o->scenario_count; s++) {
                int y = TOP + 10 + (int)s * 24;
                fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                        "stroke-width=\"4\"%s/>\n", legend_x, y, legend_x + 28, y,
                        palette[s % COLOURS], s >= COLOURS ? " stroke-dasharray=\"6 4\"" : "");
                fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"15\">%s</text>\n", legend_x + 36,
                        y + 5, o->scenarios[s]->name);
        }
        fputs("</svg>\n", out);
}

static void fill_svg(FILE *out, const void *arg)
{
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
        compare_svg(out, arg);
}

static void fill_html(FILE *out, const void *arg)
{
        fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
              "<title>espresso-lab compare</title>\n<style>\n"
              "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em;color:#222}\n"
              "pre{font-size:13px;background:#f6f6f6;padding:1em;overflow-x:auto}\n"
              "svg{max-width:100%;height:auto}\n</style></head><body>\n"
              "<h1>espresso-lab: comparing ways to share the espresso machine</h1>\n", out);
        compare_svg(out, arg);
        fputs("<h2>Results</h2>\n<pre>", out);
        /* Escaped: the table quotes a baseline's path and a saved result's words. */
        char *table = NULL;
        size_t size = 0;
        FILE *text = open_memstream(&table, &size);
        if (text)
                compare_write_table(text, arg);
        if (text && fclose(text) == 0)
                write_escaped(out, table);
        else
                compare_write_table(out, arg); /* no memory to escape it in: as it is */
        free(table);
        fputs("</pre>\n</body></html>\n", out);
}

int compare_write_svg(const char *path, const struct compare_result *r)
{
        return output_file_write(path, fill_svg, r);
}

int compare_write_html(const char *path, const struct compare_result *r)
{
        return output_file_write(path, fill_html, r);
}
