/* check FILE.c...: is a student's barista thread-safe, why not, and what to look at. */
#include "commands.h"
#include "options.h"

#include "check/check_output.h"
#include "check/checks.h"
#include "check/kit.h"
#include "measure/cpu.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int unknown_exercise(const char *name)
{
        char message[1024];
        int used = snprintf(message, sizeof(message), "unknown exercise '%s' (exercises:", name);
        for (size_t i = 0; i < exercise_count && used > 0 && (size_t)used < sizeof(message); i++)
                used += snprintf(message + used, sizeof(message) - (size_t)used, " %s", exercises[i].name);
        if (used > 0 && (size_t)used < sizeof(message) - 1)
                snprintf(message + used, sizeof(message) - (size_t)used, ")");
        return usage_failure(message);
}

/* 0 all passed; 1 some failed; 2 some did not compile or could not be checked. */
static int check_exit_code(const struct check_result *results, size_t n)
{
        int code = EXIT_OK;
        for (size_t i = 0; i < n; i++) {
                if (results[i].verdict == CHECK_DOES_NOT_COMPILE || results[i].verdict == CHECK_ERROR)
                        return EXIT_USAGE;
                if (results[i].verdict == CHECK_FAILED)
                        code = EXIT_CHECK_FAILED;
        }
        return code;
}

int command_check(int argc, char **argv)
{
        static struct check_options opts;
        struct check_settings settings = { 0 };
        struct kit kit;
        char err[1024];
        int code;

        if (!command_parsed(parse_check_options(argc, argv, &opts, err, sizeof(err)), "check", err, &code))
                return code;
        if (opts.exercise && !(settings.exercise = exercise_named(opts.exercise)))
                return unknown_exercise(opts.exercise);
        if (kit_locate(&kit, err, sizeof(err)) != 0) {
                fprintf(stderr, "espresso-lab: %s\n", err);
                return EXIT_USAGE;
        }
        char *native_flags = kit_pkg_config(&kit, "--cflags espresso-kit", err, sizeof(err));
        if (!native_flags) {
                fprintf(stderr, "espresso-lab: %s\n", err);
                return EXIT_USAGE;
        }
        settings.kit = &kit;
        settings.cores = cpus_usable();
        settings.progress = isatty(STDERR_FILENO);
        settings.native_sanitized = strstr(native_flags, "-fsanitize=") != NULL;
        free(native_flags);

        struct check_result *results = calloc(opts.file_count, sizeof(*results));
        if (!results) {
                fprintf(stderr, "espresso-lab: out of memory\n");
                return EXIT_CHECK_FAILED;
        }
        for (size_t i = 0; i < opts.file_count; i++) {
                check_file(opts.files[i], &settings, &results[i]);
                if (opts.format == FORMAT_TABLE) {
                        if (i)
                                putchar('\n');
                        check_print_table(stdout, &results[i], 80);
                        fflush(stdout);
                }
        }
        if (opts.format == FORMAT_TABLE && opts.file_count > 1)
                check_print_totals(stdout, results, opts.file_count);
        else if (opts.format == FORMAT_JSON)
                check_print_json(stdout, results, opts.file_count, check_sandbox_description(),
                                 check_worst_case_seconds(&settings));
        else if (opts.format == FORMAT_CSV)
                check_print_csv(stdout, results, opts.file_count);
        code = check_exit_code(results, opts.file_count);
        free(results);
        return code;
}
