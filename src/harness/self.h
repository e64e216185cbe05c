/* Where the running lab is: the one place that asks (its twins, its kit and its suppressions
 * are found beside it). */
#ifndef ESPRESSO_SELF_H
#define ESPRESSO_SELF_H

#include <stddef.h>

/* The running binary's absolute path into out: 0, or -errno. */
int lab_executable_path(char *out, size_t size);

/* Its folder: 0, or -errno. */
int lab_executable_dir(char *out, size_t size);

#endif
