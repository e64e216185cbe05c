/* Schedules: what a trace's choices were, and schedules as text (explore.h). */
#include "explore.h"
#include "chooser.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const finding_names[FINDING_COUNT] = {
        [FINDING_NONE] = "none",           [FINDING_LOST_SHOT] = "lost-shot",
        [FINDING_COLLISION] = "collision", [FINDING_TORN_MENU] = "torn-menu",
        [FINDING_ORDERS] = "orders",       [FINDING_DEADLOCK] = "deadlock",
        [FINDING_MISUSE] = "misuse",       [FINDING_FREED_MEMORY] = "freed-memory",
        [FINDING_HANDED_OVER] = "handed-over",
        [FINDING_CRASH] = "crash",         [FINDING_BROKEN] = "broken",
        [FINDING_STEP_LIMIT] = "step-limit", [FINDING_UNSCHEDULABLE] = "unschedulable",
};

const char *finding_name(enum finding f)
{
        return (unsigned)f < FINDING_COUNT ? finding_names[f] : "?";
}

int finding_named(const char *name)
{
        for (int f = 0; f < FINDING_COUNT; f++)
                if (strcmp(finding_names[f], name) == 0)
                        return f;
        return -1;
}

bool finding_is_bug(enum finding f)
{
        return f != FINDING_NONE && f != FINDING_STEP_LIMIT && f != FINDING_UNSCHEDULABLE;
}

uint32_t schedule_default_choice(const struct schedule_step *s)
{
        return default_choice(s->current, s->runnable, s->yielded);
}

struct schedule_switch *schedule_switches_of(const struct schedule_trace *t, size_t *count)
{
        struct schedule_switch *out = NULL;
        size_t n = 0, cap = 0;

        for (uint64_t i = 0; i < t->count; i++) {
                const struct schedule_step *s = &t->steps[i];
                if (s->barista == schedule_default_choice(s))
                        continue;
                if (n == cap) {
                        cap = cap ? cap * 2 : 16;
                        struct schedule_switch *grown = realloc(out, cap * sizeof(*out));
                        if (!grown) {
                                free(out);
                                *count = 0;
                                return NULL;
                        }
                        out = grown;
                }
                out[n++] = (struct schedule_switch){ i, s->barista };
        }
        *count = n;
        return out;
}

uint64_t schedule_preemptions(const struct schedule_trace *t)
{
        uint64_t n = 0;

        for (uint64_t i = 0; i < t->count; i++) {
                const struct schedule_step *s = &t->steps[i];
                bool current_could = s->current && (s->runnable >> (s->current - 1) & 1);
                n += current_could && !s->yielded && s->barista != s->current;
        }
        return n;
}

uint64_t schedule_needed_length(const struct schedule_trace *t)
{
        for (uint64_t i = t->count; i > 0; i--)
                if (t->steps[i - 1].barista != schedule_default_choice(&t->steps[i - 1]))
                        return i;
        return 0;
}

uint32_t schedule_fingerprint(const struct schedule_trace *t)
{
        uint32_t h = 2166136261u; /* FNV-1a */

        for (uint64_t i = 0; i < t->count; i++) {
                const struct schedule_step *s = &t->steps[i];
                uint8_t bytes[3] = { s->barista, s->point, s->outcome };
                for (size_t b = 0; b < sizeof(bytes); b++)
                        h = (h ^ bytes[b]) * 16777619u;
        }
        return (h ^ (h >> 24)) & 0xffffff;
}

bool schedule_text_write(const char *scenario, uint32_t baristas, uint64_t orders,
                         uint32_t fingerprint, const struct schedule_trace *t, uint64_t length,
                         char *out, size_t size)
{
        char run_text[48];
        int n = snprintf(out, size, "%s:b%u:o%" PRIu64 ":%06x:%s", scenario, baristas, orders,
                         fingerprint, length ? "" : "default");
        if (n < 0 || (size_t)n >= size) {
                out[0] = '\0';
                return false;
        }
        size_t used = (size_t)n;

        /* Each run whole or not at all: a run cut short would be another schedule. */
        for (uint64_t i = 0; i < length;) {
                uint64_t run = 1;
                while (i + run < length && t->steps[i + run].barista == t->steps[i].barista)
                        run++;
                n = run > 1 ? snprintf(run_text, sizeof(run_text), "%s%ux%" PRIu64, i ? "." : "",
                                       t->steps[i].barista, run)
                            : snprintf(run_text, sizeof(run_text), "%s%u", i ? "." : "",
                                       t->steps[i].barista);
                if (n < 0 || used + (size_t)n >= size) {
                        out[0] = '\0'; /* a prefix would read as another, shorter schedule */
                        return false;
                }
                memcpy(out + used, run_text, (size_t)n + 1);
                used += (size_t)n;
                i += run;
        }
        return true;
}

/* A number at *p, advancing it; false if there is none or it is too large. */
static bool read_number(const char **p, uint64_t max, uint64_t *out)
{
        char *end;

        if (!isdigit((unsigned char)**p))
                return false;
        unsigned long long v = strtoull(*p, &end, 10);
        if (v > max)
                return false;
        *p = end;
        *out = v;
        return true;
}

static int read_runs(const char *p, struct schedule_text *t, char *why, size_t why_size)
{
        size_t cap = 64;

        t->sequence = malloc(cap);
        if (!t->sequence) {
                snprintf(why, why_size, "out of memory");
                return -1;
        }
        if (strcmp(p, "default") == 0)
                return 0;
        while (*p) {
                uint64_t barista, count = 1;
                if (!read_number(&p, SCHEDULE_MAX_BARISTAS, &barista) || barista == 0 ||
                    (*p == 'x' && (p++, !read_number(&p, EXPLORE_STEP_LIMIT, &count))) ||
                    count == 0 || (*p && *p != '.') || t->length + count > EXPLORE_STEP_LIMIT) {
                        snprintf(why, why_size, "its steps are not runs like 1x4.2 (barista 1 "
                                 "four times, then barista 2)");
                        return -1;
                }
                if (*p == '.')
                        p++;
                while (t->length + count > cap) {
                        uint8_t *grown = realloc(t->sequence, cap *= 2);
                        if (!grown) {
                                snprintf(why, why_size, "out of memory");
                                return -1;
                        }
                        t->sequence = grown;
                }
                memset(t->sequence + t->length, (int)barista, count);
                t->length += count;
        }
        return 0;
}

int schedule_text_read(const char *text, struct schedule_text *t, char *why, size_t why_size)
{
        uint64_t baristas = 0, orders = 0;
        unsigned fingerprint = 0;
        int name_end = 0, consumed = 0;

        memset(t, 0, sizeof(*t));
        const char *colon = strchr(text, ':');
        if (!colon || colon == text || (size_t)(colon - text) >= sizeof(t->scenario)) {
                snprintf(why, why_size, "it does not start with a scenario's name and a colon");
                return -1;
        }
        name_end = (int)(colon - text);
        memcpy(t->scenario, text, (size_t)name_end);
        t->scenario[name_end] = '\0';
        const char *p = colon + 1;
        if (*p != 'b' || (p++, !read_number(&p, EXPLORE_MAX_BARISTAS, &baristas)) || baristas == 0 ||
            strncmp(p, ":o", 2) != 0 || (p += 2, !read_number(&p, 1000000, &orders)) ||
            sscanf(p, ":%6x:%n", &fingerprint, &consumed) != 1 || consumed != 8) {
                snprintf(why, why_size, "it is not SCENARIO:bBARISTAS:oORDERS:FINGERPRINT:STEPS "
                         "(as explore prints it)");
                return -1;
        }
        t->baristas = (uint32_t)baristas;
        t->orders = orders;
        t->fingerprint = fingerprint;
        if (read_runs(p + consumed, t, why, why_size) != 0) {
                schedule_text_free(t);
                return -1;
        }
        return 0;
}

void schedule_text_free(struct schedule_text *t)
{
        free(t->sequence);
        t->sequence = NULL;
}
