/*
 * A story's steps as lanes (story.h), for slides: an SVG drawing, one row per step and one
 * column per barista; and a self-contained HTML page that steps through the same rows with
 * buttons and the arrow keys. The page needs no network and no script from elsewhere; opened
 * with #selftest it clicks its own buttons and writes what it saw into <pre id="selftest">.
 */
#include "story.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LANE_WIDTH 370  /* px: about fifty-five characters of 12 px monospace */
#define STEP_COLUMN 50  /* px: the step's number */
#define ROW_HEIGHT 22
#define NOTE_HEIGHT 16
#define TOP 70          /* px: the title and the lanes' names */

/* Text for XML: &, < and > escaped. */
static void xml_text(FILE *out, const char *text)
{
        for (const char *c = text; *c; c++) {
                if (*c == '&')
                        fputs("&amp;", out);
                else if (*c == '<')
                        fputs("&lt;", out);
                else if (*c == '>')
                        fputs("&gt;", out);
                else
                        fputc(*c, out);
        }
}

static double lane_x(uint32_t lane)
{
        return STEP_COLUMN + (double)(lane - 1) * LANE_WIDTH;
}

int story_write_svg(const struct story *st, const char *title, const char *path)
{
        FILE *out = fopen(path, "w");
        double y = TOP, width = STEP_COLUMN + (double)st->lanes * LANE_WIDTH + 10;
        double height = TOP + 40;

        if (!out)
                return -errno;
        for (size_t i = 0; i < st->count; i++)
                height += ROW_HEIGHT + (st->lines[i].note[0] ? NOTE_HEIGHT : 0);
        fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                "font-family=\"monospace\" font-size=\"12\">\n", width, height);
        fprintf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n<text x=\"10\" "
                "y=\"22\" font-size=\"15\" font-weight=\"bold\">");
        xml_text(out, title);
        fputs("</text>\n", out);
        for (uint32_t lane = 1; lane <= st->lanes; lane++) {
                fprintf(out, "<text x=\"%.0f\" y=\"%d\" font-weight=\"bold\">", lane_x(lane) + 8,
                        TOP - 12);
                xml_text(out, st->lane_names[lane]);
                fprintf(out, "</text>\n<line x1=\"%.0f\" y1=\"%d\" x2=\"%.0f\" y2=\"%.0f\" "
                        "stroke=\"#ddd\"/>\n", lane_x(lane), TOP - 6, lane_x(lane), height - 30);
        }
        double previous_x = 0, previous_y = 0;
        for (size_t i = 0; i < st->count; i++) {
                const struct story_line *l = &st->lines[i];
                double x = lane_x(l->barista);
                if (i > 0 && st->lines[i - 1].barista != l->barista)
                        fprintf(out, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
                                "stroke=\"%s\" stroke-width=\"%s\"/>\n", previous_x + 20, previous_y,
                                x + 20, y + 4, l->preempted ? "#e07000" : "#999",
                                l->preempted ? "2" : "1");
                fprintf(out, "<text x=\"8\" y=\"%.0f\" fill=\"#888\">%" PRIu64 "</text>\n", y + 15,
                        l->step);
                fprintf(out, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%d\" height=\"%d\" rx=\"4\" "
                        "fill=\"%s\" stroke=\"%s\"/>\n", x + 4, y + 2, LANE_WIDTH - 8, ROW_HEIGHT - 4,
                        l->note[0] ? "#fde2e2" : "#eef3fb", l->note[0] ? "#c00" : "#9ab");
                fprintf(out, "<text x=\"%.0f\" y=\"%.0f\">", x + 10, y + 15);
                xml_text(out, l->action);
                fputs("</text>\n", out);
                previous_x = x;
                previous_y = y + ROW_HEIGHT - 2;
                y += ROW_HEIGHT;
                if (l->note[0]) {
                        fprintf(out, "<text x=\"%.0f\" y=\"%.0f\" fill=\"#c00\" font-weight=\"bold\">",
                                x + 10, y + 11);
                        xml_text(out, l->note);
                        fputs("</text>\n", out);
                        y += NOTE_HEIGHT;
                }
        }
        fprintf(out, "<text x=\"8\" y=\"%.0f\" font-weight=\"bold\">", y + 22);
        xml_text(out, st->ending);
        fputs("</text>\n</svg>\n", out);
        return fclose(out) == 0 ? 0 : -EIO;
}

/* The page's own script: draws the rows from the embedded steps and moves through them. */
static const char stepper_script[] =
        "const data = JSON.parse(document.getElementById('steps').textContent);\n"
        "const rows = document.getElementById('rows');\n"
        "let current = 0; /* steps shown: 0 .. data.steps.length */\n"
        "const head = document.createElement('tr');\n"
        "head.innerHTML = '<th>step</th>' + data.lanes.map(n => '<th></th>').join('');\n"
        "data.lanes.forEach((n, i) => head.children[i + 1].textContent = n);\n"
        "rows.appendChild(head);\n"
        "data.steps.forEach((s, i) => {\n"
        "  const tr = document.createElement('tr');\n"
        "  tr.id = 'step-' + (i + 1);\n"
        "  tr.innerHTML = '<td class=n></td>' + data.lanes.map(() => '<td></td>').join('');\n"
        "  tr.children[0].textContent = s.step;\n"
        "  const cell = tr.children[s.barista];\n"
        "  cell.className = 'act' + (s.breaks ? ' breaks' : '');\n"
        "  cell.innerHTML = '<span></span><span class=note></span>';\n"
        "  cell.children[0].textContent = s.action;\n"
        "  if (s.breaks) cell.children[1].textContent = '  \\u2190 ' + s.breaks;\n"
        "  rows.appendChild(tr);\n"
        "});\n"
        "function show(n) {\n"
        "  current = Math.max(0, Math.min(data.steps.length, n));\n"
        "  data.steps.forEach((s, i) => {\n"
        "    const tr = document.getElementById('step-' + (i + 1));\n"
        "    tr.className = i + 1 < current ? 'done' : i + 1 === current ? 'current' : 'later';\n"
        "  });\n"
        "  const s = data.steps[current - 1];\n"
        "  document.getElementById('where').textContent = 'step ' + current + ' of ' +\n"
        "    data.steps.length;\n"
        "  document.getElementById('said').textContent = current === 0 ? 'Press forward.' :\n"
        "    current === data.steps.length ? s.actor + ' ' + s.action + '. ' + data.ending :\n"
        "    s.actor + ' ' + s.action + (s.breaks ? ': ' + s.breaks : '');\n"
        "}\n"
        "document.getElementById('back').onclick = () => show(current - 1);\n"
        "document.getElementById('forward').onclick = () => show(current + 1);\n"
        "document.getElementById('start').onclick = () => show(0);\n"
        "document.getElementById('end').onclick = () => show(data.steps.length);\n"
        "document.addEventListener('keydown', e => {\n"
        "  if (e.key === 'ArrowRight' || e.key === ' ') show(current + 1);\n"
        "  if (e.key === 'ArrowLeft') show(current - 1);\n"
        "});\n"
        "show(0);\n"
        "if (location.hash === '#selftest') {\n"
        "  const seen = [];\n"
        "  const check = (what, ok) => seen.push((ok ? 'ok ' : 'FAILED ') + what);\n"
        "  check('starts before step 1', current === 0);\n"
        "  document.getElementById('forward').click();\n"
        "  check('forward shows step 1', current === 1 &&\n"
        "        document.getElementById('step-1').className === 'current');\n"
        "  document.getElementById('forward').click();\n"
        "  check('forward again shows step 2', current === 2 &&\n"
        "        document.getElementById('step-1').className === 'done');\n"
        "  document.getElementById('back').click();\n"
        "  check('back shows step 1 again', current === 1);\n"
        "  document.getElementById('end').click();\n"
        "  check('end shows the last step', current === data.steps.length);\n"
        "  const out = document.getElementById('selftest');\n"
        "  out.textContent = (seen.every(l => l.startsWith('ok')) ? 'selftest passed' :\n"
        "    'selftest FAILED') + ' (' + data.steps.length + ' steps)\\n' + seen.join('\\n');\n"
        "}\n";

static const char stepper_style[] =
        "body { font-family: sans-serif; margin: 1.5em; }\n"
        "table { border-collapse: collapse; font-family: monospace; font-size: 14px; }\n"
        "th { text-align: left; padding: 4px 10px; border-bottom: 2px solid #888; }\n"
        "td { padding: 3px 10px; min-width: 22em; }\n"
        "td.n { min-width: 3em; color: #888; }\n"
        "td.act { background: #eef3fb; border-radius: 4px; }\n"
        "td.breaks { background: #fde2e2; color: #a00; font-weight: bold; }\n"
        "tr.later { opacity: 0.15; }\n"
        "tr.later td.breaks { background: #eef3fb; color: inherit; font-weight: normal; }\n"
        "tr.later .note { visibility: hidden; } /* no spoilers: a break shows when it happens */\n"
        "tr.current td.act { outline: 3px solid #e0a000; }\n"
        "#said { font-size: 20px; margin: 0.8em 0; min-height: 1.5em; }\n"
        "button { font-size: 18px; margin-right: 0.4em; }\n";

int story_write_html(const struct story *st, const char *title, const char *path)
{
        json_t *lanes = json_array();
        for (uint32_t lane = 1; lane <= st->lanes; lane++)
                json_array_append_new(lanes, json_string(st->lane_names[lane]));
        json_t *data = json_pack("{s:o, s:o, s:s}", "lanes", lanes, "steps",
                                 (json_t *)story_json(st), "ending", st->ending);
        /* Escaping '/' keeps "</script>" out of the embedded text. */
        char *embedded = data ? json_dumps(data, JSON_COMPACT | JSON_ESCAPE_SLASH) : NULL;
        json_decref(data);
        if (!embedded)
                return -ENOMEM;
        FILE *out = fopen(path, "w");
        if (!out) {
                free(embedded);
                return -errno;
        }
        fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", out);
        xml_text(out, title);
        fprintf(out, "</title>\n<style>\n%s</style></head>\n<body>\n<h2>", stepper_style);
        xml_text(out, title);
        fputs("</h2>\n<p><button id=\"start\">start</button><button id=\"back\">&#x25C0; "
              "back</button><button id=\"forward\">forward &#x25B6;</button><button id=\"end\">"
              "end</button> <span id=\"where\"></span> (or the arrow keys)</p>\n"
              "<p id=\"said\"></p>\n"
              "<table id=\"rows\"></table>\n<pre id=\"selftest\"></pre>\n"
              "<script type=\"application/json\" id=\"steps\">", out);
        fputs(embedded, out);
        fprintf(out, "</script>\n<script>\n%s</script>\n</body></html>\n", stepper_script);
        free(embedded);
        return fclose(out) == 0 ? 0 : -EIO;
}
