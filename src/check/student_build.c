/* Building a student's file (student_build.h): copy, compile, link, twice, each step in a box. */
#include "student_build.h"

#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

#define MAX_SOURCE_BYTES (1u << 20) /* a scenario file is a page or two; a megabyte is not one */
#define MAX_FLAGS 64

/* A compiler on a student's file: it runs as the user who runs the lab (the kit it reads may not
 * be readable by anyone else), but bounded like everything else. */
static const struct sandbox_limits build_limits = {
        .wall_seconds = STUDENT_BUILD_STEP_SECONDS,
        .cpu_seconds = STUDENT_BUILD_STEP_SECONDS,
        .memory_bytes = 2ull << 30,
        .limit_address_space = true,
        .file_bytes = 256ull << 20,
        .processes = 64,
        .output_bytes = 1u << 20,
        .unprivileged = false,
};

static int copy_file(const char *from, const char *to, size_t max_bytes, char *why, size_t why_size)
{
        FILE *in = fopen(from, "rb");
        struct stat st;
        if (!in) {
                snprintf(why, why_size, "cannot read %s: %s", from, strerror(errno));
                return -errno;
        }
        if (fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max_bytes) {
                snprintf(why, why_size, "%s is not a scenario file (%s)", from,
                         S_ISREG(st.st_mode) ? "larger than a megabyte" : "not a regular file");
                fclose(in);
                return -EINVAL;
        }
        FILE *out = fopen(to, "wb");
        if (!out) {
                snprintf(why, why_size, "cannot write %s: %s", to, strerror(errno));
                fclose(in);
                return -errno;
        }
        char chunk[8192];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
                fwrite(chunk, 1, n, out);
        int bad = ferror(in) || fclose(out) != 0;
        fclose(in);
        if (bad) {
                snprintf(why, why_size, "cannot copy %s", from);
                return -EIO;
        }
        return 0;
}

/* The compiler named by the kit, found on PATH as execve needs it. */
static bool find_program(const char *name, char *out, size_t size)
{
        if (strchr(name, '/')) {
                snprintf(out, size, "%s", name);
                return access(out, X_OK) == 0;
        }
        const char *path = getenv("PATH");
        char dirs[4096];
        snprintf(dirs, sizeof(dirs), "%s", path && *path ? path : "/usr/bin:/bin");
        for (char *d = strtok(dirs, ":"); d; d = strtok(NULL, ":")) {
                snprintf(out, size, "%s/%s", d, name);
                if (access(out, X_OK) == 0)
                        return true;
        }
        return false;
}

/* Splits words on blanks into argv[*argc...], pointing into words. */
static void add_words(char *words, char **argv, size_t *argc, size_t max)
{
        for (char *w = strtok(words, " \t"); w && *argc < max; w = strtok(NULL, " \t"))
                argv[(*argc)++] = w;
}

/* Copies the compiler's output with the copy's name replaced by the student's path. */
static void keep_compiler_output(struct student_build *b, const char *text)
{
        size_t used = 0, name_len = strlen(b->copy_name);
        char *out = b->compiler_output;
        size_t size = sizeof(b->compiler_output);

        for (const char *p = text; *p && used + 1 < size;) {
                bool line_start = p == text || p[-1] == '\n';
                if (line_start && strncmp(p, b->copy_name, name_len) == 0 && p[name_len] == ':') {
                        int n = snprintf(out + used, size - used, "%s", b->file);
                        if (n < 0 || (size_t)n >= size - used)
                                break;
                        used += (size_t)n;
                        p += name_len;
                        continue;
                }
                out[used++] = *p++;
        }
        out[used] = '\0';
}

/* Runs one compiler step in a box, in the build directory. 0 if it succeeded; 1 if it failed
 * (its output kept); -1 if it could not run. */
static int build_step(struct student_build *b, char **argv)
{
        struct sandbox_result r;
        char ending[256];

        if (sandbox_run(argv, environ, b->dir, &build_limits, &r) != 0) {
                snprintf(b->why, sizeof(b->why), "%s", r.why);
                return -1;
        }
        int rc = 0;
        if (r.ending != SANDBOX_EXITED || r.exit_code != 0) {
                keep_compiler_output(b, r.err_len ? r.err : r.out);
                if (r.ending != SANDBOX_EXITED) {
                        sandbox_describe_ending(&r, &build_limits, ending, sizeof(ending));
                        size_t used = strlen(b->compiler_output);
                        snprintf(b->compiler_output + used, sizeof(b->compiler_output) - used,
                                 "%s: the compiler %s\n", b->file, ending);
                }
                rc = 1;
        }
        b->seconds += r.seconds;
        sandbox_result_free(&r);
        return rc;
}

/* Compiles and links one variant: `package` is espresso-kit, espresso-kit-tsan or
 * espresso-kit-valgrind. */
int student_build_variant(struct student_build *b, const struct kit *kit, const char *package,
                         const char *object, const char *binary)
{
        char args[128], compiler[PATH_MAX], prefix_map[PATH_MAX + 32];
        char *argv[MAX_FLAGS + 8];
        size_t argc = 0;
        int rc = -1;

        snprintf(args, sizeof(args), "--variable=cc %s", package);
        char *cc = kit_pkg_config(kit, args, b->why, sizeof(b->why));
        snprintf(args, sizeof(args), "--cflags %s", package);
        char *cflags = cc ? kit_pkg_config(kit, args, b->why, sizeof(b->why)) : NULL;
        snprintf(args, sizeof(args), "--libs %s", package);
        char *libs = cflags ? kit_pkg_config(kit, args, b->why, sizeof(b->why)) : NULL;
        if (!libs)
                goto out;
        if (!find_program(*cc ? cc : "cc", compiler, sizeof(compiler))) {
                snprintf(b->why, sizeof(b->why), "cannot find the kit's compiler '%s' on PATH", cc);
                goto out;
        }
        /* The copy's directory maps to nothing, so reports and errors name "mine.c:12". */
        snprintf(prefix_map, sizeof(prefix_map), "-ffile-prefix-map=%s=", b->dir);
        argv[argc++] = compiler;
        argv[argc++] = "-c";
        argv[argc++] = b->copy_name;
        add_words(cflags, argv, &argc, MAX_FLAGS);
        argv[argc++] = prefix_map;
        argv[argc++] = "-o";
        argv[argc++] = (char *)object;
        argv[argc] = NULL;
        if ((rc = build_step(b, argv)) != 0)
                goto out;
        argc = 1;
        argv[argc++] = (char *)object;
        add_words(libs, argv, &argc, MAX_FLAGS);
        argv[argc++] = "-o";
        argv[argc++] = (char *)binary;
        argv[argc] = NULL;
        rc = build_step(b, argv);
out:
        free(cc);
        free(cflags);
        free(libs);
        return rc;
}

static void read_undefined_symbols(struct student_build *b, const char *object)
{
        char command[PATH_MAX + 64], name[256];
        size_t used = 0;

        snprintf(command, sizeof(command), "nm -u '%s/%s' 2>/dev/null", b->dir, object);
        FILE *p = popen(command, "r");
        b->undefined_symbols[0] = '\0';
        if (!p)
                return;
        while (fscanf(p, " U %255s", name) == 1) {
                int n = snprintf(b->undefined_symbols + used, sizeof(b->undefined_symbols) - used,
                                 "%s%s", used ? " " : "", name);
                if (n < 0 || (size_t)n >= sizeof(b->undefined_symbols) - used)
                        break;
                used += (size_t)n;
        }
        pclose(p);
}

int student_build_copy(const char *file, struct student_build *b)
{
        char copy[PATH_MAX + 300];

        memset(b, 0, sizeof(*b));
        b->file = file;
        snprintf(b->dir, sizeof(b->dir), "/tmp/espresso-check.XXXXXX");
        if (!mkdtemp(b->dir)) {
                snprintf(b->why, sizeof(b->why), "cannot make a temporary directory: %s", strerror(errno));
                b->dir[0] = '\0';
                return -errno;
        }
        chmod(b->dir, 0755); /* the runs may be made as nobody: they read the labs and suppressions */
        const char *base = strrchr(file, '/');
        snprintf(b->copy_name, sizeof(b->copy_name), "%s", base ? base + 1 : file);
        snprintf(copy, sizeof(copy), "%s/%s", b->dir, b->copy_name);
        return copy_file(file, copy, MAX_SOURCE_BYTES, b->why, sizeof(b->why));
}

int student_build(const char *file, const struct kit *kit, struct student_build *b)
{
        int rc = student_build_copy(file, b);
        if (rc != 0)
                return rc;
        snprintf(b->native, sizeof(b->native), "%s/lab", b->dir);
        snprintf(b->tsan, sizeof(b->tsan), "%s/lab-tsan", b->dir);
        snprintf(b->suppressions, sizeof(b->suppressions), "%s/tsan-suppressions", b->dir);
        rc = student_build_variant(b, kit, "espresso-kit", "student.o", "lab");
        if (rc == 0)
                rc = student_build_variant(b, kit, "espresso-kit-tsan", "student-tsan.o", "lab-tsan");
        if (rc < 0)
                return -ENOEXEC;
        b->compiled = rc == 0;
        if (!b->compiled)
                return 0;
        read_undefined_symbols(b, "student.o");
        char *suppressions = kit_pkg_config(kit, "--variable=suppressions espresso-kit-tsan", b->why,
                                            sizeof(b->why));
        rc = suppressions ? copy_file(suppressions, b->suppressions, 1u << 20, b->why, sizeof(b->why))
                          : -ENOENT;
        free(suppressions);
        return rc;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        (void)st;
        (void)type;
        (void)ftw;
        return remove(path);
}

void remove_directory_tree(const char *dir)
{
        nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

void student_build_remove(struct student_build *b)
{
        if (b->dir[0])
                remove_directory_tree(b->dir);
        b->dir[0] = '\0';
}

unsigned student_line(const struct student_build *b, const char *where)
{
        size_t n = strlen(b->copy_name);
        if (!where || strncmp(where, b->copy_name, n) != 0 || where[n] != ':')
                return 0;
        return (unsigned)strtoul(where + n + 1, NULL, 10);
}

void student_source_line(const struct student_build *b, unsigned n, char *out, size_t size)
{
        char path[PATH_MAX + 300], line[1024];
        out[0] = '\0';
        snprintf(path, sizeof(path), "%s/%s", b->dir, b->copy_name);
        FILE *f = fopen(path, "r");
        if (!f)
                return;
        for (unsigned i = 1; fgets(line, sizeof(line), f); i++) {
                if (i == n) {
                        line[strcspn(line, "\r\n")] = '\0';
                        const char *code = line + strspn(line, " \t");
                        snprintf(out, size, "%s", code);
                        break;
                }
        }
        fclose(f);
}
