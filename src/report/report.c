#include "report.h"
#include "text.h"

#include "harness/registry.h"

#include "kit/die.h"
#include "run_fields.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

/* ---- JSON ---------------------------------------------------------------------------------- */

void report_json(FILE *out, json_t *doc)
{
        if (!doc || json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
                lab_die("cannot write JSON");
        fputc('\n', out);
        json_decref(doc);
}

/* A run as JSON, from the one field table: "wait_ns.p50" nests as wait_ns: {p50}. */
static json_t *json_run(const struct run_result *r)
{
        json_t *o = json_object();

        for (size_t i = 0; i < run_field_count; i++) {
                const struct run_field *f = &run_fields[i];
                struct field_value v = f->value(r);
                json_t *value;
                if (v.kind != FIELD_NULL && f->json)
                        value = f->json(r);
                else if (v.kind == FIELD_WHOLE)
                        value = json_integer((json_int_t)v.whole);
                else if (v.kind == FIELD_REAL)
                        value = json_real(v.real);
                else if (v.kind == FIELD_YES_NO)
                        value = json_boolean(v.yes);
                else if (v.kind == FIELD_TEXT)
                        value = json_string(v.text);
                else
                        value = json_null();
                const char *dot = strchr(f->name, '.');
                if (!dot) {
                        json_object_set_new(o, f->name, value);
                        continue;
                }
                char group[64];
                snprintf(group, sizeof(group), "%.*s", (int)(dot - f->name), f->name);
                json_t *parent = json_object_get(o, group);
                if (!parent) {
                        parent = json_object();
                        json_object_set_new(o, group, parent);
                }
                json_object_set_new(parent, dot + 1, value);
        }
        return o;
}

/* ---- list ---------------------------------------------------------------------------------- */

void report_scenarios(FILE *out, enum output_format format)
{
        size_t n = scenario_count();

        if (format == FORMAT_JSON) {
                json_t *list = json_array();
                for (size_t i = 0; i < n; i++) {
                        const struct scenario *s = scenario_at(i);
                        json_t *twins = json_array();
                        for (size_t k = 0; k < SCENARIO_MAX_TWINS && s->twins[k]; k++)
                                json_array_append_new(twins, json_string(s->twins[k]));
                        json_array_append_new(list, json_pack(
                                "{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:b, s:b, s:b, s:b, s:i, s:b, s:b, s:o, s:s?}",
                                "name", s->name, "family", family_name(s->family),
                                "expect", verdict_name(s->expect), "summary", s->summary,
                                "lesson", s->lesson, "twins", twins,
                                "uses_machine", !s->without_machine,
                                "helper_serves_orders", s->helper_serves_orders,
                                "has_helper", s->helper != NULL, "one_worker", s->one_worker,
                                "spinlock", s->spinlock, "fair", s->fair, "group_heads", (int)(s->group_heads ? s->group_heads : 1),
                                "uses_freed_memory", s->uses_freed_memory,
                                "shot_is_the_critical_section", s->shot_is_the_critical_section,
                                "default_orders", s->default_orders ? json_integer((json_int_t)s->default_orders)
                                                                    : json_null(),
                                "no_schedule", s->no_schedule));
                }
                report_json(out, json_pack("{s:o}", "scenarios", list));
                return;
        }
        int w = 8; /* "SCENARIO", or the longest name */
        for (size_t i = 0; i < n; i++)
                if ((int)strlen(scenario_at(i)->name) > w)
                        w = (int)strlen(scenario_at(i)->name);
        fprintf(out, "%-*s %-8s %-8s %s\n", w, "SCENARIO", "FAMILY", "TSAN", "SUMMARY");
        for (size_t i = 0; i < n; i++) {
                const struct scenario *s = scenario_at(i);
                fprintf(out, "%-*s %-8s %-8s %s\n", w, s->name, family_name(s->family), verdict_name(s->expect),
                        s->summary);
        }
}

/* ---- run ----------------------------------------------------------------------------------- */

/* Fields whose name shares the part before the dot with the next one make one table line. */
static bool same_group(const char *a, const char *b)
{
        const char *dot = strchr(a, '.');
        return dot && strncmp(a, b, (size_t)(dot - a) + 1) == 0;
}

/* The table: a line for every field that has a value (those that do not apply are left out),
 * the parts of one measurement (p50, p99, max) on one line. */
static void report_run_table(FILE *out, const struct run_result *r)
{
        const struct scenario *s = r->scenario;

        fprintf(out, "%s — %s%s\n", s->name, s->summary, r->config.slow_motion ? "  [slow motion]" : "");
        for (size_t i = 1; i < run_field_count; i++) { /* 0 is the scenario: the heading */
                const struct run_field *first = &run_fields[i];
                size_t end = i + 1;
                while (end < run_field_count && same_group(first->name, run_fields[end].name))
                        end++;
                char line[1200] = "", value[1024];
                size_t used = 0;
                for (size_t k = i; k < end; k++) {
                        struct field_value v = run_fields[k].value(r);
                        if (v.kind == FIELD_NULL)
                                continue;
                        field_value_text(&run_fields[k], v, value, sizeof(value));
                        const char *dot = strchr(run_fields[k].name, '.');
                        used += (size_t)snprintf(line + used, sizeof(line) - used, "%s%s%s%s",
                                                 used ? "   " : "", dot ? dot + 1 : "", dot ? " " : "",
                                                 value);
                        if (used >= sizeof(line))
                                break;
                }
                if (used) {
                        const char *dot = strchr(first->name, '.');
                        int name_len = dot ? (int)(dot - first->name) : (int)strlen(first->name);
                        fprintf(out, "  %-24.*s %s", name_len, first->name, line);
                        if (first->note)
                                fprintf(out, "  (%s)", first->note);
                        fputc('\n', out);
                }
                i = end - 1;
        }
}

/* A CSV cell: empty for null, so spreadsheets do not average in a 0; quoted when it holds a
 * comma, a quote or a line break. */
static void csv_cell(FILE *out, const struct run_field *f, struct field_value v)
{
        char value[1024];

        if (v.kind == FIELD_YES_NO) {
                fputs(v.yes ? "true" : "false", out);
                return;
        }
        field_value_text(f, v, value, sizeof(value));
        text_csv_cell(out, value);
}

static void report_run_csv(FILE *out, const struct run_result *r)
{
        for (size_t i = 0; i < run_field_count; i++) {
                if (i)
                        fputc(',', out);
                for (const char *c = run_fields[i].name; *c; c++)
                        fputc(*c == '.' ? '_' : *c, out);
        }
        fputc('\n', out);
        for (size_t i = 0; i < run_field_count; i++) {
                if (i)
                        fputc(',', out);
                csv_cell(out, &run_fields[i], run_fields[i].value(r));
        }
        fputc('\n', out);
}

void report_run(FILE *out, const struct run_result *r, enum output_format format)
{
        switch (format) {
        case FORMAT_JSON:
                report_json(out, json_run(r));
                break;
        case FORMAT_CSV:
                report_run_csv(out, r);
                break;
        case FORMAT_TABLE:
                report_run_table(out, r);
                break;
        }
}
