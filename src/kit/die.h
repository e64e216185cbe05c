/* Unrecoverable errors: one way out, with the place and the reason. */
#ifndef ESPRESSO_DIE_H
#define ESPRESSO_DIE_H

#include <string.h>

__attribute__((noreturn, format(printf, 4, 5)))
void lab_die_at(const char *file, int line, const char *func, const char *fmt, ...);

/* Aborts with file, function and line: for failures that leave the lab nothing sensible to do. */
#define lab_die(...) lab_die_at(__FILE__, __LINE__, __func__, __VA_ARGS__)

/* For pthread calls that cannot fail in a correct program (they return an errno value). */
#define lab_must(call)                                                              \
        do {                                                                        \
                int lab_must_rc_ = (call);                                          \
                if (lab_must_rc_ != 0)                                              \
                        lab_die("%s: %s", #call, strerror(lab_must_rc_));           \
        } while (0)

#endif
