/* exercise list | start NAME [DIR] | hint NAME [K]: the starter files and their hints. */
#include "commands.h"

#include "check/exercises.h"
#include "check/kit.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int exercise_list(void)
{
        printf("%-22s %-18s %s\n", "exercise", "reference", "task");
        for (size_t i = 0; i < exercise_count; i++)
                printf("%-22s %-18s %s\n", exercises[i].name, exercises[i].reference, exercises[i].task);
        printf("\nStart one: espresso-lab exercise start NAME [DIR]\n");
        return EXIT_OK;
}

static const struct exercise *named_or_complain(const char *name, int *code)
{
        const struct exercise *x = exercise_named(name);
        if (!x) {
                char message[256];
                snprintf(message, sizeof(message), "unknown exercise '%s' (see 'espresso-lab exercise list')", name);
                *code = usage_failure(message);
        }
        return x;
}

/* Copies the starter to DIR/NAME.c; never over an existing file. */
static int exercise_start(const struct exercise *x, const char *dir)
{
        char from[PATH_MAX], to[PATH_MAX + 64], why[PATH_MAX + 160];

        if (exercises_locate(from, sizeof(from), why, sizeof(why)) != 0) {
                fprintf(stderr, "espresso-lab: %s\n", why);
                return EXIT_CHECK_FAILED;
        }
        size_t used = strlen(from);
        snprintf(from + used, sizeof(from) - used, "/%s.c", x->name);
        snprintf(to, sizeof(to), "%s/%s.c", dir, x->name);
        FILE *in = fopen(from, "rb");
        if (!in) {
                fprintf(stderr, "espresso-lab: cannot read %s: %s\n", from, strerror(errno));
                return EXIT_CHECK_FAILED;
        }
        int fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) {
                fprintf(stderr, "espresso-lab: cannot write %s: %s%s\n", to, strerror(errno),
                        errno == EEXIST ? " (it is yours: nothing was overwritten)" : "");
                fclose(in);
                return errno == EEXIST ? EXIT_USAGE : EXIT_CHECK_FAILED;
        }
        FILE *out = fdopen(fd, "wb");
        char chunk[8192];
        size_t n;
        while (out && (n = fread(chunk, 1, sizeof(chunk), in)) > 0)
                fwrite(chunk, 1, n, out);
        bool bad = !out || ferror(in) || fclose(out) != 0;
        fclose(in);
        if (bad) {
                fprintf(stderr, "espresso-lab: cannot write %s\n", to);
                return EXIT_CHECK_FAILED;
        }
        printf("%s: %s\nEdit it, then: espresso-lab check --exercise %s %s\n", to, x->task, x->name, to);
        return EXIT_OK;
}

static int exercise_hint(const struct exercise *x, const char *level_text)
{
        char *end;
        long level = level_text ? strtol(level_text, &end, 10) : 1;
        if (level_text && (*end || level < 1 || level > EXERCISE_HINTS)) {
                char message[128];
                snprintf(message, sizeof(message), "hint: '%s' is not 1 to %d", level_text, EXERCISE_HINTS);
                return usage_failure(message);
        }
        printf("%s, hint %ld of %d: %s\n", x->name, level, EXERCISE_HINTS, x->hints[level - 1]);
        if (level < EXERCISE_HINTS)
                printf("Still stuck? espresso-lab exercise hint %s %ld\n", x->name, level + 1);
        return EXIT_OK;
}

int command_exercise(int argc, char **argv)
{
        const struct exercise *x;
        int code = EXIT_OK;

        if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
                fputs(command_help("exercise"), argc < 2 ? stderr : stdout);
                return argc < 2 ? EXIT_USAGE : EXIT_OK;
        }
        if (strcmp(argv[1], "list") == 0 && argc == 2)
                return exercise_list();
        if (strcmp(argv[1], "start") == 0 && (argc == 3 || argc == 4))
                return (x = named_or_complain(argv[2], &code)) ? exercise_start(x, argc == 4 ? argv[3] : ".") : code;
        if (strcmp(argv[1], "hint") == 0 && (argc == 3 || argc == 4))
                return (x = named_or_complain(argv[2], &code)) ? exercise_hint(x, argc == 4 ? argv[3] : NULL) : code;
        return usage_failure("usage: espresso-lab exercise list | start NAME [DIR] | hint NAME [K]");
}
