/* What race_check_locate() found, for race_check.c: the paths of the ThreadSanitizer twin and of
 * tsan-suppressions. */
#ifndef ESPRESSO_RACE_CHECK_LOCATE_H
#define ESPRESSO_RACE_CHECK_LOCATE_H

#include <limits.h>

extern char race_check_tsan_binary[PATH_MAX];
extern char race_check_suppressions[PATH_MAX];

#endif
