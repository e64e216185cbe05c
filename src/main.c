/* espresso-lab: several baristas (threads), one espresso machine (shared state). */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#ifndef ESPRESSO_VERSION
#define ESPRESSO_VERSION "0.0.0"
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
};

int main(int argc, char **argv)
{
        if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
            strcmp(argv[1], "help") == 0) {
                fputs(command_help(""), stdout);
                return EXIT_OK;
        }
        if (strcmp(argv[1], "--version") == 0) {
                puts("espresso-lab " ESPRESSO_VERSION);
                return EXIT_OK;
        }
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (strcmp(argv[1], commands[i].name) == 0)
                        return commands[i].run(argc - 1, argv + 1);

        char message[320];
        snprintf(message, sizeof(message),
                 "unknown command '%s' (try: list, explain, run, timeline, race-check, compare, demo, bench, --help)", argv[1]);
        return usage_failure(message);
}
