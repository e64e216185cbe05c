/*
 * What a scenario file provides, and how it registers itself.
 *
 * A scenario is one file in scenarios/ ending with
 *
 *      SCENARIO(mutex_scenario,
 *               .name = "mutex", .family = "lock", .expect = VERDICT_CLEAN,
 *               .summary = "...", .lesson = "...",
 *               .barista = mutex_barista);
 *
 * SCENARIO puts a pointer to the descriptor in the "espresso_scenarios" section; the linker
 * gathers every file's pointer there and scenario.c walks the section. No list to edit.
 */
#ifndef ESPRESSO_SCENARIO_H
#define ESPRESSO_SCENARIO_H

#include "barista.h"
#include "machine.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What ThreadSanitizer should find in a scenario. */
enum verdict {
        VERDICT_CLEAN,    /* no report: the scenario is correct */
        VERDICT_RACE,     /* a data race */
        VERDICT_DEADLOCK, /* a lock-order inversion */
};

struct run_config {
        uint32_t baristas; /* threads */
        uint64_t orders;   /* in total, split among the baristas; 0 in a timed run */
        double seconds;    /* length of a timed run; 0 when counted by orders */
        uint64_t shot_ns;  /* busy work per shot, at the machine */
        uint64_t prep_ns;  /* busy work per order, away from the machine */
};

struct scenario {
        const char *name;      /* on the command line: "mutex", "spin-ck-ticket" */
        const char *family;    /* "none", "lock", ...: groups scenarios in lists and sweeps */
        enum verdict expect;   /* what race-check must observe */
        const char *summary;   /* one line */
        const char *lesson;    /* a few sentences: what it shows, what to look for */
        bool tells_contention; /* calls barista_note_contended(), so "contended" means something */

        /* Optional: prepares the scenario's own state before the baristas start; 0 or -errno. */
        int (*setup)(const struct run_config *config);
        /* One barista's whole shift: the barista_take_order() loop. */
        void (*barista)(struct barista *b);
        /* Optional: releases what setup() made, after every barista has finished. */
        void (*teardown)(void);
};

#define SCENARIO(descriptor, ...)                                                           \
        static const struct scenario descriptor = { __VA_ARGS__ };                          \
        static const struct scenario *const descriptor##_registration                       \
                __attribute__((used, section("espresso_scenarios"))) = &descriptor

/* Registered scenarios, sorted by name. */
size_t scenario_count(void);
const struct scenario *scenario_at(size_t index);
const struct scenario *scenario_find(const char *name); /* NULL when unknown */

/* A scenario is correct when TSan should find nothing: its invariants must then hold. */
static inline bool scenario_claims_correct(const struct scenario *s)
{
        return s->expect == VERDICT_CLEAN;
}

const char *verdict_name(enum verdict v); /* "clean", "race", "deadlock" */

#endif
