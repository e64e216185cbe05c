/*
 * explore and replay outside the controlled build: the command is handed, whole, to the lab's
 * controlled twin beside it (espresso-lab-controlled; a lab built against the kit as my-lab has
 * my-lab-controlled), or, for a scenario file, to a lab of its own built against the kit's
 * controlled variant as check builds a student's file. The twin's exit status is the command's.
 */
#include "commands.h"
#include "controlled_twin.h"

#include "check/kit.h"
#include "check/student_build.h"
#include "harness/self.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

bool subject_is_file(const char *subject)
{
        size_t n = strlen(subject);
        return n > 2 && strcmp(subject + n - 2, ".c") == 0;
}

/* Runs binary with argv[1..] after it, in the foreground: the twin gets Ctrl-C and says what it
 * explored so far; this process waits for it. */
static int run_twin(const char *binary, int argc, char **argv)
{
        char **args = calloc((size_t)argc + 2, sizeof(*args));
        struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_term;
        int status = 0;

        if (!args)
                return EXIT_CHECK_FAILED;
        args[0] = (char *)binary;
        for (int i = 0; i < argc; i++)
                args[i + 1] = argv[i];
        fflush(stdout);
        fflush(stderr);
        sigaction(SIGINT, &ignore, &old_int);
        sigaction(SIGTERM, &ignore, &old_term);
        pid_t pid = fork();
        if (pid == 0) {
                sigaction(SIGINT, &old_int, NULL);
                sigaction(SIGTERM, &old_term, NULL);
                execv(binary, args);
                fprintf(stderr, "espresso-lab: cannot run %s: %s\n", binary, strerror(errno));
                _exit(EXIT_CHECK_FAILED);
        }
        while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        free(args);
        if (pid < 0)
                return EXIT_CHECK_FAILED;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A scenario file, built against the kit's controlled variant, then run as the twin. */
static int run_file_twin(const char *file, int argc, char **argv)
{
        struct kit kit;
        struct student_build b;
        char why[512];

        if (kit_locate(&kit, why, sizeof(why)) != 0) {
                fprintf(stderr, "espresso-lab: %s\n", why);
                return EXIT_CHECK_FAILED;
        }
        int rc = student_build_copy(file, &b);
        if (rc == 0)
                rc = student_build_variant(&b, &kit, "espresso-kit-controlled", "student-controlled.o",
                                           "lab-controlled");
        if (rc != 0) {
                if (rc > 0)
                        fprintf(stderr, "espresso-lab: %s does not compile:\n%s", file,
                                b.compiler_output);
                else
                        fprintf(stderr, "espresso-lab: cannot build %s: %s\n", file, b.why);
                student_build_remove(&b);
                return EXIT_USAGE;
        }
        char binary[PATH_MAX + 32];
        snprintf(binary, sizeof(binary), "%s/lab-controlled", b.dir);
        int code = run_twin(binary, argc, argv);
        student_build_remove(&b);
        return code;
}

int run_in_controlled_twin(const char *subject, int argc, char **argv)
{
        char self[PATH_MAX], twin[PATH_MAX + 16];

        if (subject && subject_is_file(subject))
                return run_file_twin(subject, argc, argv);
        if (lab_executable_path(self, sizeof(self)) != 0) {
                fprintf(stderr, "espresso-lab: cannot tell where espresso-lab is\n");
                return EXIT_CHECK_FAILED;
        }
        snprintf(twin, sizeof(twin), "%s-controlled", self);
        if (access(twin, X_OK) != 0) {
                fprintf(stderr, "espresso-lab: %s needs %s, the controlled build beside it (build "
                        "it: cmake --build --preset default)\n", argv[0], twin);
                return EXIT_CHECK_FAILED;
        }
        return run_twin(twin, argc, argv);
}
