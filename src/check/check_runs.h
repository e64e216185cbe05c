/*
 * The runs check makes of a student's lab, each in a box, and what they showed. Used by checks.c.
 */
#ifndef ESPRESSO_CHECK_RUNS_H
#define ESPRESSO_CHECK_RUNS_H

#include "checks.h"

#include <jansson.h>

/* A scenario of the student's lab, from its `list --format json`. */
struct student_scenario {
        char name[64];
        bool has_helper;    /* a manager or an operator beside the baristas */
        bool uses_machine;
        uint64_t default_orders; /* its orders when none are asked for (slow orders); 0: none */
};

/* The boxes' limits: a TSan run, a native run (stress, exercise goals), `list`. */
extern const struct sandbox_limits tsan_run_limits;
extern struct sandbox_limits native_run_limits; /* processes and address space set at start */
extern const struct sandbox_limits list_limits;

/* Sets what depends on the machine and the kit: tasks for 2 x cores baristas, and RLIMIT_AS only
 * when the native lab has no sanitizer (AddressSanitizer, too, reserves terabytes). */
void check_runs_configure(unsigned cores, bool native_sanitized);

/* Lists the lab's scenarios: their count (0 with why when the lab would not list them). */
unsigned check_list_scenarios(const struct student_build *b, struct student_scenario *out,
                              unsigned max, char *why, size_t why_size);

/* One TSan run of scenario s: 0 and the evidence noted; -1 with why when the run could not be
 * judged. Sets *stop when further runs would show nothing new (a hang, a box limit). */
int check_tsan_run(const struct student_build *b, const struct student_scenario *s,
                   struct check_evidence *e, bool *reported, char *why, size_t why_size, bool *stop);

/* One native run of scenario s with `baristas`, for `seconds`; its JSON (the caller decrefs), or
 * NULL with why. The box's ending is noted in e when it had to end the run. */
json_t *check_native_run(const char *binary, const char *dir, const char *scenario, uint32_t baristas,
                         double seconds, struct check_evidence *e, char *why, size_t why_size);

/* A native timeline of scenario s (every order timed) with `baristas` pinned to their CPUs, no
 * work away from the machine, shots of shot_ns, and barista 1 held while it waits
 * (--hold-waiter); its JSON (the caller decrefs), or NULL with why. */
json_t *check_native_timeline(const char *binary, const char *dir, const char *scenario,
                              uint32_t baristas, uint64_t orders, uint64_t shot_ns,
                              struct check_evidence *e, char *why, size_t why_size);

/* The bound on one exploration, in seconds (check_explore.c). */
double check_explore_seconds(void);

/* explore of scenario s in the student's controlled lab (lab-controlled in its directory), at
 * most `budget` schedules: explore's JSON (the caller decrefs), or NULL with why. */
json_t *check_explore_run(const struct student_build *b, const char *scenario, unsigned budget,
                          char *why, size_t why_size);

/* For the runs' files: the JSON object that starts with "{\n  \"<key>\"" in what the lab printed
 * (whatever the student's code printed around it); the first line of text; whether the box had
 * to end the run (a limit, not the run's own exit or crash). */
json_t *check_lab_json(const char *text, const char *key);
const char *check_first_line(const char *text, char *out, size_t size);
bool check_box_ended_it(const struct sandbox_result *r);

/* Notes a native run's invariants and stall in e; false when it broke one (evidence in why). */
bool check_note_stress(json_t *run, uint32_t baristas, struct check_evidence *e, char *why,
                       size_t why_size);

#endif
