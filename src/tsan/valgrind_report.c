#include "valgrind_report.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool starts_with(const char *s, const char *prefix)
{
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void copy_span(char *dst, size_t dst_size, const char *src, size_t len)
{
        if (len >= dst_size)
                len = dst_size - 1;
        memcpy(dst, src, len);
        dst[len] = '\0';
}

/* Error headings, as Valgrind 3.19 prints them, and their classes. A heading not listed here but
 * counted in the ERROR SUMMARY is still counted, as a report of unknown kind. */
static const struct {
        const char *start;     /* the heading starts so */
        const char *contains;  /* ... and contains this, or NULL */
        enum observed class;
        const char *kind;      /* as the report's kind */
} headings[] = {
        { "Possible data race during ", NULL, OBSERVED_RACE, "data race" },    /* Helgrind */
        { "Conflicting load by thread ", NULL, OBSERVED_RACE, "data race" },   /* DRD */
        { "Conflicting store by thread ", NULL, OBSERVED_RACE, "data race" },  /* DRD */
        { "Thread #", ": lock order \"", OBSERVED_LOCK_ORDER, "lock-order-inversion" },
        { "Thread #", " unlocked a not-locked lock", OBSERVED_MUTEX_MISUSE, "unlock of an unlocked mutex" },
        { "Thread #", " unlocked lock at ", OBSERVED_MUTEX_MISUSE, "unlock by a thread that does not hold it" },
        { "Thread #", "re-lock a non-recursive lock", OBSERVED_MUTEX_MISUSE, "relock of a held mutex" },
        { "Thread #", "'s call to pthread_", OBSERVED_MUTEX_MISUSE, "failed pthread call" },
        { "Thread #", ": Exiting thread still holds", OBSERVED_MUTEX_MISUSE, "thread exits holding a lock" },
        { "Thread #", ": pthread_cond_", OBSERVED_MUTEX_MISUSE, "condition variable misuse" },
        { "Thread #", ": Bug in libpthread", OBSERVED_MUTEX_MISUSE, "lock misuse" },
        { "Thread #", ": pthread_", OBSERVED_MUTEX_MISUSE, "lock misuse" },
        { "Mutex not locked", NULL, OBSERVED_MUTEX_MISUSE, "unlock of an unlocked mutex" },    /* DRD */
        { "Mutex not locked by calling thread", NULL, OBSERVED_MUTEX_MISUSE, "unlock by a thread that does not hold it" },
        { "Recursive locking not allowed", NULL, OBSERVED_MUTEX_MISUSE, "relock of a held mutex" },
        { "Destroying locked mutex", NULL, OBSERVED_MUTEX_MISUSE, "destroying a locked mutex" },
        { "Mutex reinitialization", NULL, OBSERVED_MUTEX_MISUSE, "mutex reinitialized" },
        { "Reader-writer lock not locked", NULL, OBSERVED_MUTEX_MISUSE, "unlock of an unlocked rwlock" },
        { "The object at address ", NULL, OBSERVED_MUTEX_MISUSE, "not a synchronization object" },
        { "Probably a race condition: condition variable", NULL, OBSERVED_MUTEX_MISUSE, "condition variable misuse" },
        { "Thread ", ": lock order", OBSERVED_LOCK_ORDER, "lock-order-inversion" },
};

static size_t heading_index(const char *line)
{
        for (size_t i = 0; i < sizeof(headings) / sizeof(headings[0]); i++)
                if (starts_with(line, headings[i].start) &&
                    (!headings[i].contains || strstr(line, headings[i].contains)))
                        return i;
        return SIZE_MAX;
}

enum observed valgrind_kind_of_heading(const char *heading)
{
        size_t i = heading_index(heading);
        return i == SIZE_MAX ? OBSERVED_CLEAN : headings[i].class;
}

/* "==1234== text" -> "text"; a line without the prefix (valgrind's own "valgrind: ..." or the
 * program's output) -> NULL. */
static const char *strip_prefix(const char *line)
{
        if (!starts_with(line, "=="))
                return NULL;
        const char *p = line + 2 + strspn(line + 2, "0123456789");
        if (!starts_with(p, "== "))
                return starts_with(p, "==") && (p[2] == '\n' || p[2] == '\0') ? p + 2 : NULL;
        return p + 3;
}

/* "   at 0x109234: unsync_barista (scenarios/unsync.c:16)": function and file:line, or false
 * for frames without a source line ("(in /usr/lib/x86_64-linux-gnu/libc.so.6)"). */
static bool parse_frame(const char *line, char *function, size_t function_size, char *where,
                        size_t where_size)
{
        const char *p = line + strspn(line, " ");
        if (!starts_with(p, "at 0x") && !starts_with(p, "by 0x"))
                return false;
        const char *colon = strstr(p, ": ");
        if (!colon)
                return false;
        const char *fn = colon + 2;
        const char *open = strrchr(fn, '(');
        const char *close = open ? strchr(open, ')') : NULL;
        if (!open || !close || open == fn || starts_with(open + 1, "in "))
                return false;
        const char *file = open + 1;
        size_t file_len = (size_t)(close - file);
        if (!memchr(file, ':', file_len))
                return false;
        copy_span(function, function_size, fn, (size_t)(open - 1 - fn));
        copy_span(where, where_size, file, file_len);
        return true;
}

/* While reading one error. */
struct error_reading {
        struct tsan_report *r;      /* NULL when over TSAN_MAX_REPORTS: counted only */
        struct tsan_access *access; /* the side whose frames come now, or NULL */
        bool in_other_section;      /* a segment's end, a block's allocation, another order */
        uint64_t access_address;
};

static void note_frame(const char *line, struct error_reading *e)
{
        char function[128], where[256];
        struct tsan_report *r = e->r;

        if (!r || !parse_frame(line, function, sizeof(function), where, sizeof(where)))
                return;
        if (!r->location[0]) {
                snprintf(r->location, sizeof(r->location), "%s", where);
                snprintf(r->function, sizeof(r->function), "%s", function);
        }
        bool in_scenario = tsan_where_in_scenario(where);
        if (!r->caller[0] && in_scenario)
                snprintf(r->caller, sizeof(r->caller), "%s", where);
        struct tsan_access *a = e->access;
        if (!a || e->in_other_section)
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

/* One side of the error: its heading's words up to the address ("Possible data race during
 * write of size 8", "This conflicts with a previous read of size 8") and its thread. */
static void begin_access(const char *line, struct error_reading *e)
{
        struct tsan_report *r = e->r;

        e->in_other_section = false;
        if (!r || r->accesses == TSAN_MAX_ACCESSES) {
                e->access = NULL;
                return;
        }
        e->access = &r->access[r->accesses++];
        size_t len = strlen(line);
        const char *at = strstr(line, " at 0x");
        if (at)
                len = (size_t)(at - line);
        copy_span(e->access->what, sizeof(e->access->what), line, len);
        const char *thread = strstr(line, "by thread ");
        if (thread) {
                thread += strlen("by thread ");
                copy_span(e->access->thread, sizeof(e->access->thread), thread, strcspn(thread, " :,)"));
        }
        if (at && !e->access_address)
                e->access_address = strtoull(at + strlen(" at "), NULL, 16);
}

/* " Address 0x10c0e0 is 0 bytes inside data symbol "espresso_machine"", "Address 0x4a4b040 is
 * 8 bytes inside a block of size 24 alloc'd", "Location 0x10c0e0 is 0 bytes inside
 * espresso_machine.shots,": what raced. */
static void note_address(const char *line, tsan_field_namer name_field, struct tsan_report *r)
{
        const char *symbol = strstr(line, "inside data symbol \"");
        const char *block = strstr(line, "inside a block of size ");
        const char *offset_at = strstr(line, " is ");

        if (r->variable[0])
                return;
        unsigned long offset = offset_at ? strtoul(offset_at + 4, NULL, 10) : 0;
        if (symbol) {
                symbol += strlen("inside data symbol \"");
                char name[96];
                copy_span(name, sizeof(name), symbol, strcspn(symbol, "\""));
                const char *field = name_field ? name_field(name, offset) : NULL;
                snprintf(r->variable, sizeof(r->variable), "%s", field ? field : name);
        } else if (block) {
                snprintf(r->variable, sizeof(r->variable), "heap block of %lu bytes",
                         strtoul(block + strlen("inside a block of size "), NULL, 10));
        } else if (starts_with(line, "Location 0x") && strstr(line, " bytes inside ")) {
                const char *name = strstr(line, " bytes inside ") + strlen(" bytes inside ");
                copy_span(r->variable, sizeof(r->variable), name, strcspn(name, ",\n"));
        }
}

static void read_line(const char *text, tsan_field_namer name_field, struct error_reading *e,
                      bool *in_error, struct tsan_findings *out)
{
        const char *stripped = text + strspn(text, " ");
        size_t heading = heading_index(text);

        if (heading != SIZE_MAX) {
                memset(e, 0, sizeof(*e));
                *in_error = true;
                out->reports++;
                out->observed = observed_worst(out->observed, headings[heading].class);
                if (out->kept < TSAN_MAX_REPORTS) {
                        e->r = &out->report[out->kept++];
                        snprintf(e->r->kind, sizeof(e->r->kind), "%s", headings[heading].kind);
                        e->r->observed = headings[heading].class;
                }
                /* A lock-order error's heading names no access: its two acquisitions follow
                 * ("Observed (incorrect) order is: ...", "followed by a later acquisition"). */
                if (headings[heading].class != OBSERVED_LOCK_ORDER)
                        begin_access(text, e);
                return;
        }
        if (!*in_error)
                return;
        if (starts_with(text, "----------------")) {
                *in_error = false; /* Helgrind's separator between errors */
                return;
        }
        if (starts_with(stripped, "at 0x") || starts_with(stripped, "by 0x")) {
                note_frame(text, e);
        } else if (starts_with(text, "This conflicts with a previous ") ||
                   starts_with(text, "Observed (incorrect) order is: ") ||
                   starts_with(stripped, "followed by a later acquisition")) {
                begin_access(stripped, e);
        } else if (strstr(text, "Address 0x") == stripped || starts_with(stripped, "Location 0x")) {
                if (e->r)
                        note_address(stripped, name_field, e->r);
                e->in_other_section = true; /* the block's allocation, the variable's declaration */
        } else if (starts_with(text, "Other segment") || starts_with(text, "Required order was") ||
                   starts_with(text, "Locks held") || starts_with(stripped, "Block was alloc'd") ||
                   starts_with(text, "Allocation context")) {
                e->in_other_section = !starts_with(text, "Locks held");
        }
}

void valgrind_parse(const char *text, tsan_field_namer name_field, struct tsan_findings *out)
{
        struct error_reading e = { 0 };
        bool in_error = false;
        char buf[512];

        memset(out, 0, sizeof(*out));
        out->observed = OBSERVED_CLEAN;
        for (const char *line = text; *line;) {
                size_t len = strcspn(line, "\n");
                copy_span(buf, sizeof(buf), line, len);
                const char *content = strip_prefix(buf);
                if (content && starts_with(content, "ERROR SUMMARY: ")) {
                        /* "ERROR SUMMARY: 5 errors from 3 contexts": every context is a report,
                         * also those whose heading this reader does not know. */
                        const char *from = strstr(content, " from ");
                        unsigned long contexts = from ? strtoul(from + 6, NULL, 10) : 0;
                        if (contexts > out->reports) {
                                if (out->observed == OBSERVED_CLEAN)
                                        out->observed = OBSERVED_MUTEX_MISUSE;
                                out->reports = (unsigned)contexts;
                        }
                } else if (content) {
                        read_line(content, name_field, &e, &in_error, out);
                } else if (starts_with(buf, "valgrind: ") && !out->tsan_failed) {
                        out->tsan_failed = true; /* Valgrind itself could not run it */
                        copy_span(out->failure, sizeof(out->failure), buf, len);
                }
                line += len;
                if (*line == '\n')
                        line++;
        }
}
