#include "tsan_report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WARNING_PREFIX "WARNING: ThreadSanitizer: "
#define SUMMARY_PREFIX "SUMMARY: ThreadSanitizer: "

static bool starts_with(const char *s, const char *prefix)
{
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Copies at most len bytes of src into a buffer of dst_size, always terminated. */
static void copy_span(char *dst, size_t dst_size, const char *src, size_t len)
{
        if (len >= dst_size)
                len = dst_size - 1;
        memcpy(dst, src, len);
        dst[len] = '\0';
}

/* "path:12:5" -> "path:12". Leaves anything else alone. */
static void drop_column(char *location)
{
        char *last = strrchr(location, ':');
        if (!last || last == location)
                return;
        char *prev = last - 1;
        while (prev > location && *prev != ':')
                prev--;
        if (*prev == ':' && strspn(last + 1, "0123456789") == strlen(last + 1) && last[1])
                *last = '\0';
}

/* An installed kit's header, as TSan names it ("/opt/x/lib/pkgconfig/../../include/espresso-kit/
 * kit/machine.h:75"), read as the kit's own ("espresso-kit/kit/machine.h:75"). */
static void shorten_kit_path(char *location)
{
        const char *kit = strstr(location, "/include/espresso-kit/");
        if (kit)
                memmove(location, kit + strlen("/include/"), strlen(kit + strlen("/include/")) + 1);
}

/* A frame in the scenario's own code: not the lab's (src/, a build tree's paths made relative),
 * not an installed kit's or library's header (an include folder), not the system's. A built-in
 * scenario reads "scenarios/unsync.c:13", a student's file its own path. */
bool tsan_where_in_scenario(const char *where)
{
        return !starts_with(where, "src/") && !starts_with(where, "espresso-kit/") &&
               !strstr(where, "/include/") && !starts_with(where, "/usr/");
}

/* "SUMMARY: ThreadSanitizer: data race src/kit/machine.h:61:17 in machine_pull_shot" */
static void parse_summary(const char *line, size_t len, struct tsan_report *r)
{
        const char *p = line + strlen(SUMMARY_PREFIX), *end = line + len;
        size_t kind_len = strlen(r->kind);

        if (kind_len && (size_t)(end - p) > kind_len && strncmp(p, r->kind, kind_len) == 0)
                p += kind_len;
        while (p < end && *p == ' ')
                p++;
        const char *in = NULL;
        for (const char *q = p; q + 4 <= end; q++)
                if (strncmp(q, " in ", 4) == 0)
                        in = q; /* the last one: paths may contain " in " in theory */
        if (in) {
                copy_span(r->location, sizeof(r->location), p, (size_t)(in - p));
                copy_span(r->function, sizeof(r->function), in + 4, (size_t)(end - in - 4));
        } else {
                copy_span(r->location, sizeof(r->location), p, (size_t)(end - p));
        }
        drop_column(r->location);
        shorten_kit_path(r->location);
}

/* "  Location is global 'espresso_machine' of size 64 at 0x55d0c0 (bin+0x1234)" */
static void parse_location(const char *line, uint64_t access_address, tsan_field_namer name_field,
                           struct tsan_report *r)
{
        const char *global = strstr(line, "Location is global '");
        if (global) {
                const char *name = global + strlen("Location is global '");
                const char *quote = strchr(name, '\'');
                const char *at = quote ? strstr(quote, " at 0x") : NULL;
                if (!quote)
                        return;
                char symbol[96];
                copy_span(symbol, sizeof(symbol), name, (size_t)(quote - name));
                if (name_field && at && access_address) {
                        uint64_t base = strtoull(at + strlen(" at "), NULL, 16);
                        const char *field = access_address >= base
                                ? name_field(symbol, (unsigned long)(access_address - base)) : NULL;
                        if (field) {
                                snprintf(r->variable, sizeof(r->variable), "%s", field);
                                return;
                        }
                }
                snprintf(r->variable, sizeof(r->variable), "%s", symbol);
                return;
        }
        const char *heap = strstr(line, "Location is heap block of size ");
        if (heap) {
                unsigned long size = strtoul(heap + strlen("Location is heap block of size "), NULL, 10);
                snprintf(r->variable, sizeof(r->variable), "heap block of %lu bytes", size);
                return;
        }
        const char *other = strstr(line, "Location is ");
        if (other) {
                const char *what = other + strlen("Location is ");
                copy_span(r->variable, sizeof(r->variable), what, strcspn(what, "\n"));
                size_t n = strlen(r->variable);
                if (n && r->variable[n - 1] == '.')
                        r->variable[n - 1] = '\0';
        }
}

/* "    #1 unsync_barista scenarios/unsync.c:13:17 (espresso-lab-tsan+0x...)": function and
 * file:line, or false for frames without a source line ("pthread_mutex_lock <null> (...)"). */
static bool parse_frame(const char *line, char *function, size_t function_size, char *where,
                        size_t where_size)
{
        const char *p = strstr(line, "#");
        if (!p)
                return false;
        p += 1 + strspn(p + 1, "0123456789");
        p += strspn(p, " ");
        size_t function_len = strcspn(p, " ");
        const char *file = p + function_len + strspn(p + function_len, " ");
        size_t file_len = strcspn(file, " ");
        /* A source file, with a line ("src/harness/run.c:39:9") or, where the compiler left none for
         * this address, without ("scenarios/deadlock.c"). A file in the directory it was compiled
         * in has no folder ("mine.c:20:29": check builds a student's file so). */
        bool has_line = memchr(file, ':', file_len) != NULL;
        bool source_name = file_len >= 3 && (memcmp(file + file_len - 2, ".c", 2) == 0 ||
                                             memcmp(file + file_len - 2, ".h", 2) == 0);
        bool bare_source = has_line && (strstr(file, ".c:") || strstr(file, ".h:"));
        if (file_len < 3 || file[0] == '(' || file[0] == '<' ||
            (!memchr(file, '/', file_len) && !bare_source) || (!has_line && !source_name))
                return false;
        copy_span(function, function_size, p, function_len);
        copy_span(where, where_size, file, file_len);
        drop_column(where);
        shorten_kit_path(where);
        return true;
}

/* "  Write of size 8 at 0x5581c6b5e0c0 by thread T2:" (also Read, Atomic write, Previous ...) */
static uint64_t parse_access_address(const char *line)
{
        const char *of_size = strstr(line, " of size ");
        const char *at = of_size ? strstr(of_size, " at 0x") : NULL;
        if (!at || strstr(line, "Location is"))
                return 0;
        return strtoull(at + strlen(" at "), NULL, 16);
}

/* "  Cycle in lock order graph: M0 (0x5562) => M1 (0x5588) => M0" -> "mutexes M0 => M1 => M0" */
static void describe_cycle(const char *line, struct tsan_report *r)
{
        const char *p = strstr(line, "Cycle in lock order graph: ") + strlen("Cycle in lock order graph: ");
        size_t n = snprintf(r->variable, sizeof(r->variable), "mutexes ");

        while (*p && n + 1 < sizeof(r->variable)) {
                if (*p == ' ' && p[1] == '(') { /* skip " (0x...)" */
                        const char *close = strchr(p, ')');
                        if (!close)
                                break;
                        p = close + 1;
                        continue;
                }
                r->variable[n++] = *p++;
        }
        r->variable[n] = '\0';
}

/* "1024 race:_ck_ring_dequeue_sc" */
static void note_suppression(const char *line, size_t len, struct tsan_findings *out)
{
        if (out->suppressions_used == TSAN_MAX_SUPPRESSIONS)
                return;
        struct tsan_suppression_use *use = &out->suppressed[out->suppressions_used++];
        char *after;
        use->count = strtoul(line, &after, 10);
        while (*after == ' ')
                after++;
        copy_span(use->entry, sizeof(use->entry), after, (size_t)(line + len - after));
}

/* "  Write of size 8 at 0x... by thread T2:", "  Mutex M1 acquired here while holding mutex M0
 * in main thread:": the heading of one side of the report (not the thread's creation, not the
 * heap block's allocation). */
static bool is_access_heading(const char *line)
{
        if (strncmp(line, "  ", 2) != 0 || line[2] == ' ' || strstr(line, "Location is"))
                return false;
        return strstr(line, " of size ") != NULL || strstr(line, "Mutex M") == line + 2;
}

/* While reading one report. */
struct report_reading {
        struct tsan_report *r;       /* NULL when over TSAN_MAX_REPORTS: counted only */
        struct tsan_access *access;  /* the side whose frames come now, or NULL */
        bool in_other_section;       /* a thread's creation, a block's allocation */
        uint64_t access_address;
        /* The first frame with a source line: the location when the SUMMARY has none (a lock
         * order inversion's SUMMARY names the pthread_mutex_lock interceptor). */
        char first_frame_location[256], first_frame_function[128];
};

void tsan_access_add_frame(struct tsan_access *a, const char *where)
{
        size_t used = strlen(a->frames), len = strlen(where);
        if (used + len + 2 > sizeof(a->frames))
                return;
        snprintf(a->frames + used, sizeof(a->frames) - used, "%s%s", used ? " " : "", where);
}

static void note_frame(const char *line, struct report_reading *rd)
{
        char function[128], where[256];
        struct tsan_report *r = rd->r;

        if (!parse_frame(line, function, sizeof(function), where, sizeof(where)))
                return;
        if (!rd->first_frame_location[0]) {
                snprintf(rd->first_frame_location, sizeof(rd->first_frame_location), "%s", where);
                snprintf(rd->first_frame_function, sizeof(rd->first_frame_function), "%s", function);
        }
        bool in_scenario = tsan_where_in_scenario(where);
        if (!r->caller[0] && in_scenario)
                snprintf(r->caller, sizeof(r->caller), "%s", where);
        struct tsan_access *a = rd->access;
        if (!a || rd->in_other_section)
                return;
        if (!a->where[0]) {
                snprintf(a->where, sizeof(a->where), "%s", where);
                snprintf(a->function, sizeof(a->function), "%s", function);
        }
        if (!a->caller[0] && in_scenario)
                snprintf(a->caller, sizeof(a->caller), "%s", where);
        if (in_scenario)
                tsan_access_add_frame(a, where);
}

/* "  Write of size 8 at 0x7b04 by thread T2 (mutexes: write M0, read M1):": "T2" and
 * "write M0, read M1"; "by main thread" without mutexes: "main thread" and "". */
static void note_thread_and_mutexes(const char *line, struct tsan_access *a)
{
        const char *by = strstr(line, " by ");
        if (by) {
                by += strlen(" by ");
                if (starts_with(by, "thread "))
                        by += strlen("thread ");
                copy_span(a->thread, sizeof(a->thread), by, strcspn(by, " (:\n"));
                if (starts_with(by, "main thread"))
                        snprintf(a->thread, sizeof(a->thread), "main thread");
        }
        const char *mutexes = strstr(line, "(mutexes: ");
        if (mutexes) {
                mutexes += strlen("(mutexes: ");
                copy_span(a->mutexes, sizeof(a->mutexes), mutexes, strcspn(mutexes, ")\n"));
        }
}

static void note_heading(const char *line, struct report_reading *rd)
{
        struct tsan_report *r = rd->r;

        if (!is_access_heading(line)) {
                rd->in_other_section = true;
                return;
        }
        rd->in_other_section = false;
        if (!rd->access_address)
                rd->access_address = parse_access_address(line);
        if (r->accesses == TSAN_MAX_ACCESSES) {
                rd->access = NULL;
                return;
        }
        rd->access = &r->access[r->accesses++];
        const char *what = line + 2;
        size_t len = strcspn(what, ":");
        const char *at = strstr(what, " at 0x"), *here = strstr(what, " acquired here");
        if (at && (size_t)(at - what) < len)
                len = (size_t)(at - what);
        if (here && (size_t)(here - what) < len)
                len = (size_t)(here - what) + strlen(" acquired");
        copy_span(rd->access->what, sizeof(rd->access->what), what, len);
        note_thread_and_mutexes(line, rd->access);
}

static void finish_report(struct report_reading *rd)
{
        struct tsan_report *r = rd->r;

        if (r && (!r->location[0] || r->location[0] == '(')) {
                snprintf(r->location, sizeof(r->location), "%s", rd->first_frame_location);
                snprintf(r->function, sizeof(r->function), "%s", rd->first_frame_function);
        }
        memset(rd, 0, sizeof(*rd));
}

void tsan_parse(const char *text, tsan_field_namer name_field, struct tsan_findings *out)
{
        bool in_report = false, in_suppressions = false;
        struct report_reading rd = { 0 };

        memset(out, 0, sizeof(*out));
        out->observed = OBSERVED_CLEAN;
        for (const char *line = text; *line;) {
                size_t len = strcspn(line, "\n");
                const char *warning = strstr(line, WARNING_PREFIX);
                char buf[512];

                if (warning && warning < line + len) {
                        const char *kind = warning + strlen(WARNING_PREFIX);
                        const char *pid = strstr(kind, " (pid=");
                        size_t kind_len = pid && pid < line + len ? (size_t)(pid - kind)
                                                                   : (size_t)(line + len - kind);
                        if (in_report)
                                finish_report(&rd);
                        in_report = true;
                        out->reports++;
                        char kind_text[64];
                        copy_span(kind_text, sizeof(kind_text), kind, kind_len);
                        enum observed class = observed_of_tsan_kind(kind_text);
                        out->observed = observed_worst(out->observed, class);
                        if (out->kept < TSAN_MAX_REPORTS) {
                                rd.r = &out->report[out->kept++];
                                snprintf(rd.r->kind, sizeof(rd.r->kind), "%s", kind_text);
                                rd.r->observed = class;
                        }
                } else if (starts_with(line, SUMMARY_PREFIX) && in_report) {
                        if (rd.r)
                                parse_summary(line, len, rd.r);
                        finish_report(&rd);
                        in_report = false;
                } else if (in_report && rd.r) {
                        copy_span(buf, sizeof(buf), line, len);
                        if (strstr(buf, "Location is ")) {
                                parse_location(buf, rd.access_address, name_field, rd.r);
                                rd.in_other_section = true; /* its allocation's frames follow */
                        } else if (strstr(buf, "    #")) {
                                note_frame(buf, &rd);
                        } else if (strstr(buf, "Cycle in lock order graph: ")) {
                                describe_cycle(buf, rd.r);
                        } else if (len > 3 && buf[len - 1] == ':') {
                                note_heading(buf, &rd);
                        }
                } else if (starts_with(line, "ThreadSanitizer: Matched ")) {
                        in_suppressions = true; /* "<count> <type>:<pattern>" lines follow */
                } else if (in_suppressions && len && line[0] >= '0' && line[0] <= '9') {
                        note_suppression(line, len, out);
                } else if (starts_with(line, "FATAL: ThreadSanitizer") ||
                           starts_with(line, "ThreadSanitizer: CHECK failed")) {
                        out->tsan_failed = true;
                        copy_span(out->failure, sizeof(out->failure), line, len);
                }
                line += len;
                if (*line == '\n')
                        line++;
        }
        if (in_report)
                finish_report(&rd); /* cut off before its SUMMARY: a run that was killed */
}

const struct tsan_report *tsan_first_of_worst(const struct tsan_findings *f)
{
        for (unsigned i = 0; i < f->kept; i++)
                if (f->report[i].observed == f->observed)
                        return &f->report[i];
        return f->kept ? &f->report[0] : NULL;
}
