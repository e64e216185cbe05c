/*
 * explore and replay: controlled schedules of a scenario (src/kit/schedule.h), each run in a
 * child process of its own, searched for one that breaks an invariant, shortened to the fewest
 * preemptions that still break it, and replayed step by step, the same on every machine.
 *
 * Only the controlled build (espresso-lab-controlled) can run these; the other builds hand the
 * command to it (src/cli/explore_command.c). A controlled run is serialised, one barista at a
 * time: it measures nothing, and nothing here prints a time as if it were a measurement of the
 * scenario.
 */
#ifndef ESPRESSO_EXPLORE_H
#define ESPRESSO_EXPLORE_H

#include "kit/scenario.h"
#include "kit/schedule.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a controlled run showed. */
enum finding {
        FINDING_NONE,          /* every invariant held */
        FINDING_LOST_SHOT,     /* the machine counted fewer shots than drinks were served */
        FINDING_COLLISION,     /* two baristas at the machine at once */
        FINDING_TORN_MENU,     /* a menu read mixed two versions */
        FINDING_ORDERS,        /* an order lost, repeated, out of order or made up */
        FINDING_DEADLOCK,      /* nobody could go on, and somebody waited */
        FINDING_MISUSE,        /* a lock given back by a barista who did not hold it */
        FINDING_FREED_MEMORY,  /* a barista used memory already freed (AddressSanitizer) */
        FINDING_HANDED_OVER,   /* a barista touched a message it had handed over (variant.h) */
        FINDING_CRASH,         /* the run died otherwise (a signal, an assertion) */
        FINDING_BROKEN,        /* another invariant broke */
        FINDING_STEP_LIMIT,    /* no end within the step limit: not judged */
        FINDING_UNSCHEDULABLE, /* a barista went on without a scheduling point: not judged */
};
#define FINDING_COUNT (FINDING_UNSCHEDULABLE + 1)

/* "lost-shot", "collision", "torn-menu", "orders", "deadlock", "misuse", "freed-memory",
 * "crash", "broken", "step-limit", "unschedulable"; "none" */
const char *finding_name(enum finding f);
/* The finding named, or -1. "any" is not a finding (see explore_options.wanted). */
int finding_named(const char *name);
/* A finding that is a bug (not "none", nor a run that could not be judged). */
bool finding_is_bug(enum finding f);

/* A schedule's choices where they differ from the default (stay with the barista that reached
 * the point while it can go on; then the lowest-numbered other): at step `step`, `barista`. */
struct schedule_switch {
        uint64_t step;
        uint32_t barista;
};

/* How a controlled run chooses. */
enum chooser_kind {
        CHOOSE_RANDOM,    /* uniformly among those who can go (a yielding barista last) */
        CHOOSE_PCT,       /* probabilistic concurrency testing: random priorities, depth - 1
                           * priority change points among the first `steps` steps */
        CHOOSE_SEQUENCE,  /* sequence[j] at step j, then the default: a replay; a barista who
                           * cannot go where the sequence names it refuses the schedule */
        CHOOSE_SWITCHES,  /* the default, but the switches where they can be made */
};

struct chooser {
        enum chooser_kind kind;
        uint64_t seed;               /* random, pct */
        uint32_t depth;              /* pct: the bug depth d */
        uint64_t steps;              /* pct: k, the steps a run takes (estimated) */
        const uint8_t *sequence;     /* sequence: the barista of each step */
        uint64_t length;
        const struct schedule_switch *switches; /* switches: by step */
        size_t switch_count;
};

/* The run each schedule makes. */
struct controlled_config {
        const struct scenario *scenario;
        uint32_t baristas;
        uint64_t orders;             /* in all, split among the baristas as `run` splits them */
        uint64_t step_limit;         /* a run still going after this many steps is not judged */
        double kill_seconds;         /* a child still alive after this is killed */
};

#define EXPLORE_DEFAULT_BARISTAS 2
#define EXPLORE_ORDERS_PER_BARISTA 2 /* the default orders: enough for every lesson's race */
#define EXPLORE_MAX_BARISTAS 8       /* the helper makes 9: one digit each in a schedule */
#define EXPLORE_STEP_LIMIT 20000
#define EXPLORE_KILL_SECONDS 20.0

/* A controlled run's result. The trace is a copy of the child's, owned by the result. */
struct controlled_result {
        enum finding finding;        /* the strongest it showed */
        uint32_t findings;           /* all it showed: bit f set for enum finding f */
        char what[320];              /* the broken invariant, or why the run was not judged */
        char refused[256];           /* a replay whose schedule did not fit: why; else "" */
        struct schedule_trace trace; /* steps: malloc'd, trace.count of them (all kept) */
        char crash_where[160];       /* freed memory, a crash: the first frame in the scenario's
                                      * own file ("menu-rcu-stale-pointer.c:35"), or "" */
        char crash_report[4096];     /* the first lines of what the child wrote on stderr */
};

/* One schedule: 0 with *result filled in (free it with controlled_result_free), or -errno when
 * no child could be made. */
int controlled_run(const struct controlled_config *config, const struct chooser *chooser,
                   struct controlled_result *result);
void controlled_result_free(struct controlled_result *result);

/* The default choice at step s of a trace, from what was recorded there. */
uint32_t schedule_default_choice(const struct schedule_step *s);
/* The switches of a trace: its steps chosen otherwise than by default. malloc'd; *count. */
struct schedule_switch *schedule_switches_of(const struct schedule_trace *trace, size_t *count);
/* Preemptions in a trace: a barista that could have gone on was passed over, not giving way. */
uint64_t schedule_preemptions(const struct schedule_trace *trace);

/*
 * Schedules as text: "unsync:b2:o4:3f9a2c:1x4.2". The scenario, its baristas and orders, the
 * fingerprint of its default run (its steps' baristas and kinds: a different file, or the same
 * name with other code, has another), and the baristas of the steps, as runs ("1x4" is barista
 * 1 for four steps), up to the last step not taken by default. The rest is the default.
 */
#define SCHEDULE_TEXT_MAX 1024 /* the longest argument the command line takes (replay's) */

struct schedule_text {
        char scenario[64];
        uint32_t baristas;
        uint64_t orders;
        uint32_t fingerprint;
        uint8_t *sequence;   /* malloc'd */
        uint64_t length;
};

/* The fingerprint of a default run's trace. */
uint32_t schedule_fingerprint(const struct schedule_trace *trace);
/* The text of a trace, its first `length` steps, into out: true, or false when it does not fit
 * (out is then empty: a part of it would read as another, shorter schedule). */
bool schedule_text_write(const char *scenario, uint32_t baristas, uint64_t orders,
                         uint32_t fingerprint, const struct schedule_trace *trace, uint64_t length,
                         char *out, size_t size);
/* Parses text into *t: 0, or -1 with why. */
int schedule_text_read(const char *text, struct schedule_text *t, char *why, size_t why_size);
void schedule_text_free(struct schedule_text *t);
/* How many first steps of a trace the text must name: up to its last switch. */
uint64_t schedule_needed_length(const struct schedule_trace *trace);

/* What explore searches with. */
struct explore_options {
        enum chooser_kind strategy;  /* CHOOSE_RANDOM or CHOOSE_PCT */
        uint64_t seed;
        uint32_t depth;              /* pct */
        uint64_t budget;             /* schedules at most */
        double seconds;              /* or this long at most; 0: no time bound */
        int wanted;                  /* a finding, or -1 for any bug */
        bool shorten;                /* retry with fewer preemptions (the default) */
};

#define EXPLORE_DEFAULT_BUDGET 1000
#define EXPLORE_DEFAULT_DEPTH 2
#define EXPLORE_SHORTEN_ATTEMPTS 300

struct explore_report {
        uint64_t schedules;          /* explored, the probe run included */
        uint64_t probe_steps;        /* the default run's steps: pct's k */
        double pct_bound;            /* pct: the chance per schedule of a depth-d bug, at least */
        double seconds;              /* wall time of the search (not a measurement) */
        bool found;
        uint64_t found_at;           /* the schedule that broke it (1 = the probe) */
        uint64_t seed_found;         /* that schedule's seed */
        uint64_t preemptions_found;  /* before shortening */
        uint64_t preemptions;        /* after */
        uint64_t shorten_attempts;
        struct controlled_result result; /* the shortened schedule's run */
        uint32_t fingerprint;
        char schedule[SCHEDULE_TEXT_MAX];
        bool schedule_too_long;      /* the schedule did not fit in SCHEDULE_TEXT_MAX characters */
        bool interrupted;
        bool unschedulable;          /* a run went on without a scheduling point: it stopped, and
                                      * first_not_judged is that run */
        uint64_t not_judged;         /* schedules that hit the step limit or a barista that ran
                                      * without reaching a point */
        struct controlled_result first_not_judged; /* the first such, to say why */
};

/* Searches config's scenario for a schedule that breaks it. 0, or -errno when no run could be
 * made. The report's result is freed by explore_report_free. */
int explore(const struct controlled_config *config, const struct explore_options *options,
            struct explore_report *report);
void explore_report_free(struct explore_report *report);

/* Replays schedule t exactly: 0 with *result (free it), or -EINVAL with why when it does not fit
 * the scenario (another scenario, other steps, a barista named where it cannot go), or -errno
 * when no run could be made. */
int replay(const struct controlled_config *config, const struct schedule_text *t,
           struct controlled_result *result, char *why, size_t why_size);

/* The default run's fingerprint (one controlled run), or 0 with why. */
int explore_fingerprint(const struct controlled_config *config, uint32_t *fingerprint, char *why,
                        size_t why_size);

#endif
