/* bench: the lab's benchmarks, which print figures for a person (see bench.h). */
#include "bench.h"

#include "commands.h"
#include "options.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int command_bench(int argc, char **argv)
{
        struct bench_options opts;
        char err[256];
        int code;

        /* "bench [overhead|repeatability|collapse] ...": the benchmark's name, then its options
         * (repeatability and collapse take none but --help). */
        if (argc > 1 && argv[1][0] != '-') {
                bool repeatability = strcmp(argv[1], "repeatability") == 0;
                if (repeatability || strcmp(argv[1], "collapse") == 0) {
                        struct bench_options none;
                        if (!command_parsed(parse_bench_name_only(argc - 1, argv + 1, &none, err,
                                                                  sizeof(err)), "bench", err, &code))
                                return code;
                        return repeatability ? bench_repeatability() : bench_collapse();
                }
                if (strcmp(argv[1], "overhead") != 0) {
                        snprintf(err, sizeof(err), "unknown benchmark '%s' (there are: overhead, "
                                 "repeatability, collapse)", argv[1]);
                        return usage_failure(err);
                }
                argc--;
                argv++;
        }
        if (!command_parsed(parse_bench_options(argc, argv, &opts, err, sizeof(err)), "bench", err,
                            &code))
                return code;
        return bench_overhead(&opts);
}
