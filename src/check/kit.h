/*
 * Where check finds what it builds a student's file with: the kit's pkg-config files (and through
 * them the headers, the libraries, the compiler and tsan-suppressions), and the exercises.
 */
#ifndef ESPRESSO_CHECK_KIT_H
#define ESPRESSO_CHECK_KIT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct kit {
        char pkgconfig_dir[PATH_MAX]; /* holds espresso-kit.pc and espresso-kit-tsan.pc */
        bool installed;               /* beside an installed lab, rather than a build tree's */
};

/* Finds the kit: $ESPRESSO_KIT_PKGCONFIG if set; else beside the running lab when it is installed
 * (bindir/../lib/pkgconfig); else the build tree the lab was built in. 0, or -ENOENT with why. */
int kit_locate(struct kit *kit, char *why, size_t why_size);

/* Finds the exercises' folder: $ESPRESSO_EXERCISES if set; else an installed lab's
 * (bindir/../share/espresso-lab/exercises); else the source tree's. 0, or -ENOENT with why. */
int exercises_locate(char *dir, size_t size, char *why, size_t why_size);

/* Runs `pkg-config ARGS` against the kit and returns its first line of output, trimmed (the
 * caller frees), or NULL with why. */
char *kit_pkg_config(const struct kit *kit, const char *args, char *why, size_t why_size);

#endif
