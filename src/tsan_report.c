#include "tsan_report.h"

#include "machine.h"

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

/* "SUMMARY: ThreadSanitizer: data race src/machine.h:61:17 in machine_pull_shot" */
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
}

/* "  Location is global 'espresso_machine' of size 64 at 0x55d0c0 (bin+0x1234)" */
static void parse_location(const char *line, uint64_t access_address, struct tsan_report *r)
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
                if (strcmp(symbol, "espresso_machine") == 0 && at && access_address) {
                        uint64_t base = strtoull(at + strlen(" at "), NULL, 16);
                        const char *field = access_address >= base
                                ? machine_field_at((size_t)(access_address - base)) : NULL;
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
        /* A source file, with a line ("src/run.c:39:9") or, where the compiler left none for
         * this address, without ("scenarios/deadlock.c"). */
        if (file_len < 3 || file[0] == '(' || file[0] == '<' || !memchr(file, '/', file_len) ||
            (!memchr(file, ':', file_len) && memcmp(file + file_len - 2, ".c", 2) != 0 &&
             memcmp(file + file_len - 2, ".h", 2) != 0))
                return false;
        copy_span(function, function_size, p, function_len);
        copy_span(where, where_size, file, file_len);
        drop_column(where);
        return true;
}

static void note_frame(const char *line, struct tsan_report *r, char *fallback_location,
                       char *fallback_function)
{
        char function[128], where[256];

        if (!parse_frame(line, function, sizeof(function), where, sizeof(where)))
                return;
        if (!fallback_location[0]) {
                snprintf(fallback_location, 256, "%s", where);
                snprintf(fallback_function, 128, "%s", function);
        }
        if (!r->caller[0] && starts_with(where, "scenarios/"))
                snprintf(r->caller, sizeof(r->caller), "%s", where);
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

static enum verdict verdict_of(const char *kind)
{
        return starts_with(kind, "lock-order-inversion") ? VERDICT_DEADLOCK : VERDICT_RACE;
}

void tsan_parse(const char *text, struct tsan_findings *out)
{
        bool in_first = false, saw_race = false, saw_deadlock = false, in_suppressions = false;
        uint64_t access_address = 0;
        /* The first frame with a source line: the location when the SUMMARY has none (a lock
         * order inversion's SUMMARY names the pthread_mutex_lock interceptor). */
        char first_frame_location[256] = "", first_frame_function[128] = "";

        memset(out, 0, sizeof(*out));
        for (const char *line = text; *line;) {
                size_t len = strcspn(line, "\n");
                const char *warning = strstr(line, WARNING_PREFIX);

                if (warning && warning < line + len) {
                        const char *kind = warning + strlen(WARNING_PREFIX);
                        const char *pid = strstr(kind, " (pid=");
                        size_t kind_len = pid && pid < line + len ? (size_t)(pid - kind)
                                                                   : (size_t)(line + len - kind);
                        out->reports++;
                        in_first = !out->has_first;
                        if (in_first) {
                                out->has_first = true;
                                copy_span(out->first.kind, sizeof(out->first.kind), kind, kind_len);
                        }
                        if (verdict_of(kind) == VERDICT_DEADLOCK)
                                saw_deadlock = true;
                        else
                                saw_race = true;
                } else if (starts_with(line, SUMMARY_PREFIX) && in_first) {
                        parse_summary(line, len, &out->first);
                        in_first = false;
                } else if (in_first) {
                        char buf[512];
                        copy_span(buf, sizeof(buf), line, len);
                        if (!access_address)
                                access_address = parse_access_address(buf);
                        if (strstr(buf, "Location is "))
                                parse_location(buf, access_address, &out->first);
                        else if (strstr(buf, "    #"))
                                note_frame(buf, &out->first, first_frame_location,
                                           first_frame_function);
                        else if (strstr(buf, "Cycle in lock order graph: "))
                                describe_cycle(buf, &out->first);
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
        if (out->has_first && (!out->first.location[0] || out->first.location[0] == '(')) {
                snprintf(out->first.location, sizeof(out->first.location), "%s", first_frame_location);
                snprintf(out->first.function, sizeof(out->first.function), "%s", first_frame_function);
        }
        out->observed = saw_race ? VERDICT_RACE : saw_deadlock ? VERDICT_DEADLOCK : VERDICT_CLEAN;
}
