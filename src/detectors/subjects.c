/* What detectors runs: a scenario of this lab, a scenario file built against the kit, or a plain
 * program, each with what it is known to be (its expect) and the lines of its bug. */
#include "detectors.h"

#include "check/check_runs.h"
#include "check/kit.h"
#include "check/student_build.h"
#include "harness/registry.h"
#include "harness/self.h"
#include "tsan/race_check.h"
#include "tsan/tool_run.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROGRAM_BUILD_SECONDS 60.0 /* a small program compiles in well under a second */
#define MAX_PROGRAM_BYTES (1u << 20)

/* "race", "clean", "deadlock" as a verdict, or -1. */
static int verdict_named(const char *word, size_t len)
{
        for (int v = VERDICT_CLEAN; v <= VERDICT_DEADLOCK; v++)
                if (strlen(verdict_name(v)) == len && strncmp(verdict_name(v), word, len) == 0)
                        return v;
        return -1;
}

/* A comment that opens with "the bug:" (any case): where it opens, or NULL. */
static const char *bug_comment(const char *line)
{
        for (const char *p = line; (p = strchr(p, '/')) != NULL; p++) {
                if (p[1] != '*' && p[1] != '/')
                        continue;
                const char *text = p + 2 + strspn(p + 2, " \t");
                if (strncasecmp(text, "the bug:", 8) == 0)
                        return p;
        }
        return NULL;
}

/* "expect: race" in a comment, not "check-expect:": the word after it, or -1. */
static int expect_word(const char *line)
{
        for (const char *p = line; (p = strstr(p, "expect:")) != NULL; p++) {
                if (p > line && (isalnum((unsigned char)p[-1]) || p[-1] == '-' || p[-1] == '_'))
                        continue;
                const char *word = p + 7 + strspn(p + 7, " \t");
                return verdict_named(word, strcspn(word, " \t\r\n*/.,;"));
        }
        return -1;
}

static void add_bug_line(struct subject *s, unsigned line)
{
        if (s->bug_line_count < SUBJECT_MAX_BUG_LINES)
                s->bug_lines[s->bug_line_count++] = line;
}

int subject_read_source(struct subject *s, const char *path)
{
        char line[1024];
        bool pending = false; /* a "the bug:" comment on a line of its own: the next code line */
        int expect = -1;
        FILE *f = fopen(path, "r");

        if (!f)
                return -1;
        snprintf(s->source, sizeof(s->source), "%s", path);
        const char *base = strrchr(path, '/');
        snprintf(s->source_base, sizeof(s->source_base), "%s", base ? base + 1 : path);
        s->bug_line_count = 0;
        for (unsigned n = 1; fgets(line, sizeof(line), f); n++) {
                const char *code = line + strspn(line, " \t");
                const char *comment = bug_comment(line);
                bool blank = *code == '\n' || *code == '\0';
                bool comment_only = strncmp(code, "/*", 2) == 0 || strncmp(code, "//", 2) == 0 ||
                                    *code == '*';
                if (comment && comment > code)
                        add_bug_line(s, n);
                else if (comment)
                        pending = true;
                else if (pending && !blank && !comment_only) {
                        add_bug_line(s, n);
                        pending = false;
                }
                if (expect < 0 && n <= 60)
                        expect = expect_word(line);
        }
        fclose(f);
        return expect;
}

/* A built-in scenario's source: where it was compiled from, else where an installed lab keeps
 * the scenarios (share/espresso-lab/scenarios). "" when neither is there. */
static void find_scenario_source(const struct scenario *sc, char *out, size_t size)
{
        const char *base = strrchr(sc->source, '/');
        snprintf(out, size, "%s", sc->source);
        if (access(out, R_OK) == 0)
                return;
        snprintf(out, size, "%s/%s", ESPRESSO_SCENARIOS_SOURCE_TREE, base ? base + 1 : sc->source);
        if (access(out, R_OK) == 0)
                return;
        char dir[PATH_MAX];
        if (lab_executable_dir(dir, sizeof(dir)) == 0) {
                snprintf(out, size, "%s/../share/espresso-lab/scenarios/%s", dir, base ? base + 1 : sc->source);
                if (access(out, R_OK) == 0)
                        return;
        }
        out[0] = '\0';
}

static int prepare_scenario(const struct scenario *sc, const struct detector_tools *tools,
                            struct subject *s)
{
        char source[PATH_MAX];

        s->kind = SUBJECT_SCENARIO;
        s->scenario = sc;
        s->expect = sc->expect;
        s->has_helper = sc->helper != NULL;
        s->default_orders = sc->default_orders;
        snprintf(s->name, sizeof(s->name), "%s", sc->name);
        snprintf(s->run_name, sizeof(s->run_name), "%s", sc->name);
        snprintf(s->group, sizeof(s->group), "%s",
                 sc->negative_control ? "negative control" : family_name(sc->family));
        snprintf(s->tsan_suppressions, sizeof(s->tsan_suppressions), "%s", tools->tsan_suppressions);
        find_scenario_source(sc, source, sizeof(source));
        if (source[0])
                subject_read_source(s, source);
        else
                snprintf(s->source_base, sizeof(s->source_base), "%s",
                         strrchr(sc->source, '/') ? strrchr(sc->source, '/') + 1 : sc->source);
        return 0;
}

/* Runs one compiler command, bounded: 0 built, 1 it failed (its first line of complaint in
 * why), -1 it could not be run. */
static int compile(char *const argv[], char *why, size_t why_size)
{
        struct tool_run run;
        if (tool_run(argv, NULL, PROGRAM_BUILD_SECONDS, &run, why, why_size) != 0)
                return -1;
        int rc = 0;
        if (run.timed_out || run.interrupted) {
                snprintf(why, why_size, "%s did not finish within %g s", argv[0], PROGRAM_BUILD_SECONDS);
                rc = -1;
        } else if (!WIFEXITED(run.status) || WEXITSTATUS(run.status) != 0) {
                const char *text = run.stderr_text;
                const char *error = strstr(text, "error");
                const char *from = error ? error : text;
                while (error && from > text && from[-1] != '\n')
                        from--;
                snprintf(why, why_size, "%.*s", (int)strcspn(from, "\n"), from);
                rc = 1;
        }
        tool_run_free(&run);
        return rc;
}

/* A copy of path in a fresh temporary directory (so that reports read "prog.c:12"). */
static int copy_into_build_dir(struct subject *s, const char *path, const char *prefix)
{
        char copy[PATH_MAX + 200], buf[8192];

        snprintf(s->dir, sizeof(s->dir), "/tmp/%s.XXXXXX", prefix);
        if (!mkdtemp(s->dir)) {
                snprintf(s->why, sizeof(s->why), "cannot make a temporary directory: %s", strerror(errno));
                s->dir[0] = '\0';
                return -1;
        }
        snprintf(copy, sizeof(copy), "%s/%s", s->dir, s->source_base);
        FILE *in = fopen(path, "r"), *out = in ? fopen(copy, "w") : NULL;
        size_t got, total = 0;
        int rc = in && out ? 0 : -1;
        while (rc == 0 && (got = fread(buf, 1, sizeof(buf), in)) > 0) {
                total += got;
                if (total > MAX_PROGRAM_BYTES || fwrite(buf, 1, got, out) != got)
                        rc = -1;
        }
        if (in)
                fclose(in);
        if (out && fclose(out) != 0)
                rc = -1;
        if (rc != 0)
                snprintf(s->why, sizeof(s->why), "cannot copy %s (1 MiB at most)", path);
        return rc;
}

/* Builds a program three ways: clang's TSan, gcc's TSan, and plain (natively and for Valgrind),
 * all -O1 -g as the lab's twins are. */
static int build_program(const struct detector_tools *tools, struct subject *s)
{
        char map[PATH_MAX + 32], why[512];
        char *plain = s->native;

        /* Reports name the user's own file, not the copy built here. */
        char original[PATH_MAX];
        if (realpath(s->source, original)) {
                char *slash = strrchr(original, '/');
                *slash = '\0';
                snprintf(map, sizeof(map), "-ffile-prefix-map=%s=%s", s->dir, original);
        } else {
                snprintf(map, sizeof(map), "-ffile-prefix-map=%s/=", s->dir);
        }
        snprintf(s->native, sizeof(s->native), "%s/program", s->dir);
        snprintf(s->build[DETECTOR_TSAN_CLANG], sizeof(s->build[0]), "%s/program-tsan", s->dir);
        snprintf(s->build[DETECTOR_TSAN_GCC], sizeof(s->build[0]), "%s/program-tsan-gcc", s->dir);
        char source[PATH_MAX + 200];
        snprintf(source, sizeof(source), "%s/%s", s->dir, s->source_base);
        const char *compiler = tools->clang[0] ? tools->clang : tools->gcc;
        if (!compiler[0]) {
                snprintf(s->why, sizeof(s->why), "neither clang nor gcc is on PATH");
                return -1;
        }
        char *plain_argv[] = { (char *)compiler, "-O1", "-g", "-gdwarf-4", "-pthread", map, source,
                               "-o", plain, NULL };
        int rc = compile(plain_argv, why, sizeof(why));
        if (rc != 0) {
                snprintf(s->why, sizeof(s->why), "%s does not compile: %s", s->name, why);
                return -1;
        }
        snprintf(s->build[DETECTOR_HELGRIND], sizeof(s->build[0]), "%s", plain);
        snprintf(s->build[DETECTOR_DRD], sizeof(s->build[0]), "%s", plain);
        struct { enum detector d; const char *cc, *name; } tsan[] = {
                { DETECTOR_TSAN_CLANG, tools->clang, "clang" },
                { DETECTOR_TSAN_GCC, tools->gcc, "gcc" },
        };
        for (size_t i = 0; i < 2; i++) {
                enum detector d = tsan[i].d;
                if (!tsan[i].cc[0]) {
                        snprintf(s->build_missing[d], sizeof(s->build_missing[0]), "%s is not on PATH",
                                 tsan[i].name);
                        continue;
                }
                char *argv[] = { (char *)tsan[i].cc, "-O1", "-g", "-fsanitize=thread", "-pthread",
                                 map, source, "-o", s->build[d], NULL };
                if (compile(argv, why, sizeof(why)) != 0)
                        snprintf(s->build_missing[d], sizeof(s->build_missing[0]),
                                 "%s cannot build it with -fsanitize=thread: %.180s", tsan[i].name, why);
        }
        return 0;
}

/* Builds a scenario file against the kit, as check does, plus the kit's Valgrind variant. */
static int build_file(struct subject *s, const char *path)
{
        struct kit kit;
        struct student_build *b = calloc(1, sizeof(*b));
        struct student_scenario listed;
        int rc = -1;

        if (!b) {
                snprintf(s->why, sizeof(s->why), "out of memory");
                return -1;
        }
        if (kit_locate(&kit, s->why, sizeof(s->why)) != 0)
                goto out;
        if (student_build(path, &kit, b) != 0) {
                snprintf(s->why, sizeof(s->why), "%s", b->why);
                goto out;
        }
        snprintf(s->dir, sizeof(s->dir), "%s", b->dir);
        if (!b->compiled) {
                snprintf(s->why, sizeof(s->why), "%s does not compile: %.400s", s->name,
                         b->compiler_output);
                goto out;
        }
        snprintf(s->native, sizeof(s->native), "%s", b->native);
        snprintf(s->build[DETECTOR_TSAN_CLANG], sizeof(s->build[0]), "%s", b->tsan);
        snprintf(s->tsan_suppressions, sizeof(s->tsan_suppressions), "%s", b->suppressions);
        snprintf(s->build_missing[DETECTOR_TSAN_GCC], sizeof(s->build_missing[0]),
                 "a scenario file is built with the kit's compiler (clang): gcc's TSan runs the "
                 "lab's own scenarios and programs");
        int built = student_build_variant(b, &kit, "espresso-kit-valgrind", "student-valgrind.o",
                                          "lab-valgrind");
        for (int d = DETECTOR_HELGRIND; d <= DETECTOR_DRD; d++) {
                if (built == 0)
                        snprintf(s->build[d], sizeof(s->build[0]), "%s/lab-valgrind", b->dir);
                else
                        snprintf(s->build_missing[d], sizeof(s->build_missing[0]),
                                 "the kit has no Valgrind variant (espresso-kit-valgrind): %.150s",
                                 built > 0 ? b->compiler_output : b->why);
        }
        char why[256];
        if (check_list_scenarios(b, &listed, 1, why, sizeof(why)) != 1) {
                snprintf(s->why, sizeof(s->why), "%s", why);
                goto out;
        }
        snprintf(s->run_name, sizeof(s->run_name), "%s", listed.name);
        s->has_helper = listed.has_helper;
        s->default_orders = listed.default_orders;
        rc = 0;
out:
        free(b);
        return rc;
}

/* Whether the file registers a scenario (then it is built against the kit). */
static bool holds_scenario(const char *path)
{
        char line[1024];
        bool found = false;
        FILE *f = fopen(path, "r");
        while (f && !found && fgets(line, sizeof(line), f))
                found = strstr(line, "SCENARIO(") != NULL;
        if (f)
                fclose(f);
        return found;
}

int subject_prepare(const char *typed, bool as_program, int expect_given,
                    const struct detector_tools *tools, struct subject *s)
{
        memset(s, 0, sizeof(*s));
        snprintf(s->name, sizeof(s->name), "%s", typed);
        const struct scenario *sc = as_program ? NULL : scenario_find(typed);
        if (sc)
                return prepare_scenario(sc, tools, s);
        struct stat st;
        if (stat(typed, &st) != 0 || !S_ISREG(st.st_mode)) {
                snprintf(s->why, sizeof(s->why), "'%s' is neither a scenario (see list) nor a file", typed);
                s->failed = true;
                return -1;
        }
        int expect = subject_read_source(s, typed);
        if (expect_given >= 0)
                expect = expect_given;
        if (expect < 0) {
                snprintf(s->why, sizeof(s->why), "%s says not what it is: add \"expect: race\" (or "
                         "clean, deadlock) to its leading comment, or give --expect", typed);
                s->failed = true;
                return -1;
        }
        s->expect = (enum verdict)expect;
        s->kind = !as_program && holds_scenario(typed) ? SUBJECT_FILE : SUBJECT_PROGRAM;
        snprintf(s->group, sizeof(s->group), "%s", s->kind == SUBJECT_FILE ? "student corpus" : "program");
        int rc = s->kind == SUBJECT_FILE ? build_file(s, typed)
                 : copy_into_build_dir(s, typed, "espresso-detectors") == 0 ? build_program(tools, s)
                                                                            : -1;
        s->failed = rc != 0;
        return rc;
}

void subject_remove(struct subject *s)
{
        if (s->dir[0])
                remove_directory_tree(s->dir);
        s->dir[0] = '\0';
}
