/* espresso-lab: several baristas (threads), one espresso machine (shared state). */
#include "commands.h"
#include "harness/registry.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifndef ESPRESSO_VERSION
#define ESPRESSO_VERSION "0.0.0"
#endif
#ifndef ESPRESSO_BUILD_FLAGS
#define ESPRESSO_BUILD_FLAGS "?"
#endif

static const struct command {
        const char *name;
        int (*run)(int argc, char **argv);
} commands[] = {
        { "list", command_list },
        { "run", command_run },
        { "race-check", command_race_check },
        { "demo", command_demo },
        { "bench", command_bench },
        { "compare", command_compare },
        { "explain", command_explain },
        { "timeline", command_timeline },
        { "check", command_check },
        { "exercise", command_exercise },
        { "detectors", command_detectors },
        { "explore", command_explore },
        { "replay", command_replay },
};

/* What was printed must have reached stdout: a full disk or a closed pipe is a failure, said
 * once, not a silent exit 0. */
static int finish_output(int code)
{
        if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "espresso-lab: cannot write the output: %s\n", strerror(errno));
                return code == EXIT_OK ? EXIT_CHECK_FAILED : code;
        }
        return code;
}

int main(int argc, char **argv)
{
        char why[320];

        if (!scenarios_well_formed(why, sizeof(why))) {
                fprintf(stderr, "espresso-lab: this lab cannot start: %s\n", why);
                return EXIT_CHECK_FAILED;
        }
        if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
            strcmp(argv[1], "help") == 0) {
                fputs(command_help(""), stdout);
                return EXIT_OK;
        }
        if (strcmp(argv[1], "--version") == 0) {
                puts("espresso-lab " ESPRESSO_VERSION " (" ESPRESSO_BUILD_FLAGS ")");
                return EXIT_OK;
        }
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (strcmp(argv[1], commands[i].name) == 0)
                        return finish_output(commands[i].run(argc - 1, argv + 1));

        char message[320];
        snprintf(message, sizeof(message),
                 "unknown command '%s' (try: list, explain, run, timeline, race-check, compare, demo, bench, check, exercise, detectors, explore, replay, --help)", argv[1]);
        return usage_failure(message);
}
