/*
 * Building a student's scenario file into a lab of its own, natively and under ThreadSanitizer,
 * against the kit, in a temporary directory. The file is copied there and never touched.
 */
#ifndef ESPRESSO_STUDENT_BUILD_H
#define ESPRESSO_STUDENT_BUILD_H

#include "kit.h"

#include <limits.h>
#include <stdbool.h>

#define STUDENT_COMPILER_OUTPUT_MAX 8192
#define STUDENT_BUILD_STEPS 4           /* compile and link, natively and with TSan */
#define STUDENT_BUILD_STEP_SECONDS 30.0 /* each; a scenario file compiles in about a second */

struct student_build {
        const char *file;            /* as the user named it */
        char dir[PATH_MAX];          /* the temporary directory; "" once removed */
        char copy_name[256];         /* the file's name in it (its basename) */
        char native[PATH_MAX];       /* the lab with the student's scenario */
        char tsan[PATH_MAX];         /* its ThreadSanitizer twin (native's name + "-tsan") */
        char suppressions[PATH_MAX]; /* tsan-suppressions, copied beside them */
        bool compiled;               /* both built */
        char compiler_output[STUDENT_COMPILER_OUTPUT_MAX]; /* of the failing build, the student's
                                                             * path put back in */
        char why[512];               /* the build could not be tried (no kit, no compiler) */
        double seconds;              /* both builds */
        char undefined_symbols[4096]; /* the native object's, space-separated: what it calls */
};

/* Copies file into a new temporary directory (b->dir), built nothing yet. 0, or -errno with
 * b->why; b->dir is left for student_build_remove() either way. */
int student_build_copy(const char *file, struct student_build *b);

/* Builds file. 0 when both builds ran (b->compiled says whether they succeeded); -errno when they
 * could not be tried (b->why). Leaves b->dir for student_build_remove(). */
int student_build(const char *file, const struct kit *kit, struct student_build *b);

/* One more build of the copied file, with the kit's pkg-config package (espresso-kit-valgrind)
 * into binary (in b->dir): 0 built, 1 it did not compile (b->compiler_output), -1 it could not
 * be tried (b->why). */
int student_build_variant(struct student_build *b, const struct kit *kit, const char *package,
                          const char *object, const char *binary);

/* Removes dir and everything in it (not following links out of it). */
void remove_directory_tree(const char *dir);

/* Removes the temporary directory and everything in it. */
void student_build_remove(struct student_build *b);

/* The number of the line `where` ("mine.c:12") names if it is in the student's file, else 0. */
unsigned student_line(const struct student_build *b, const char *where);

/* Line n of the student's file, without its newline and leading blanks, in out ("" if none). */
void student_source_line(const struct student_build *b, unsigned n, char *out, size_t size);

#endif
