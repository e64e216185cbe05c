/*
 * A libFuzzer target for every command's option parser, and replay's schedule text. The first byte picks the command; the
 * rest, split at NUL bytes, is its arguments. A parser may accept or refuse what it is given, but
 * it must never crash, read out of bounds or overflow (ASan and UBSan watch), and a refusal must
 * say why. Built in the dev preset (ESPRESSO_FUZZ); tests/fuzz_options.sh runs it.
 */
#include "compare/compare.h"
#include "cli/options.h"
#include "explore/explore.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 24

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A refusal always says why (usage_failure() prints it as one line, escaping what it quotes). */
static void check_refusal(int rc, const char *err)
{
        if (rc < 0 && !err[0])
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const char *const commands[] = { "list", "run", "race-check", "bench", "demo",
                                                "timeline", "compare", "explore", "replay",
                                                "schedule" };
        char *argv[MAX_ARGS + 2], err[512];
        int argc = 0;

        if (size == 0)
                return 0;
        char *text = malloc(size); /* the arguments: the input after its first byte, NUL-ended */
        if (!text)
                return 0;
        memcpy(text, data + 1, size - 1);
        text[size - 1] = '\0';
        unsigned which = data[0] % (sizeof(commands) / sizeof(commands[0]));
        argv[argc++] = (char *)commands[which];
        for (char *arg = text; arg < text + size - 1 && argc <= MAX_ARGS; arg += strlen(arg) + 1)
                argv[argc++] = arg;
        argv[argc] = NULL;
        err[0] = '\0';

        union {
                struct list_options list;
                struct run_options run;
                struct race_check_options race_check;
                struct bench_options bench;
                struct demo_options demo;
                struct timeline_options timeline;
                struct compare_options compare;
                struct explore_command_options explore;
                struct replay_options replay;
                struct schedule_text schedule;
        } out;
        int rc = 0;
        switch (which) {
        case 0: rc = parse_list_options(argc, argv, &out.list, err, sizeof(err)); break;
        case 1: rc = parse_run_options(argc, argv, &out.run, err, sizeof(err)); break;
        case 2: rc = parse_race_check_options(argc, argv, &out.race_check, err, sizeof(err)); break;
        case 3: rc = parse_bench_options(argc, argv, &out.bench, err, sizeof(err)); break;
        case 4: rc = parse_demo_options(argc, argv, &out.demo, err, sizeof(err)); break;
        case 5: rc = parse_timeline_options(argc, argv, &out.timeline, err, sizeof(err)); break;
        case 6: rc = parse_compare_options(argc, argv, &out.compare, err, sizeof(err)); break;
        case 7: rc = parse_explore_options(argc, argv, &out.explore, err, sizeof(err)); break;
        case 8: rc = parse_replay_options(argc, argv, &out.replay, err, sizeof(err)); break;
        default: /* a schedule as replay reads it: the first argument */
                rc = schedule_text_read(argc > 1 ? argv[1] : "", &out.schedule, err, sizeof(err));
                if (rc == 0)
                        schedule_text_free(&out.schedule);
                else
                        rc = -EINVAL;
                break;
        }
        check_refusal(rc, err);
        free(text);
        return 0;
}
