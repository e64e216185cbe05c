/* Finding the kit and the exercises (kit.h). */
#include "kit.h"
#include "harness/self.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef ESPRESSO_KIT_FROM_BINDIR
#define ESPRESSO_KIT_FROM_BINDIR "../lib/pkgconfig"
#endif
#ifndef ESPRESSO_KIT_BUILD_TREE
#define ESPRESSO_KIT_BUILD_TREE ""
#endif
#ifndef ESPRESSO_EXERCISES_FROM_BINDIR
#define ESPRESSO_EXERCISES_FROM_BINDIR "../share/espresso-lab/exercises"
#endif
#ifndef ESPRESSO_EXERCISES_SOURCE_TREE
#define ESPRESSO_EXERCISES_SOURCE_TREE ""
#endif


static bool file_there(const char *dir, const char *name)
{
        char path[PATH_MAX + 64];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        return access(path, R_OK) == 0;
}

/* The first of: the environment's choice, the installed place, the build tree's, that holds
 * `probe`. */
static int locate(const char *env, const char *from_bindir, const char *build_tree, const char *probe,
                  char *out, size_t size, bool *installed)
{
        char bindir[PATH_MAX], candidate[PATH_MAX + 64];
        const char *chosen = getenv(env);

        if (chosen && *chosen) {
                snprintf(out, size, "%s", chosen);
                *installed = false;
                return file_there(out, probe) ? 0 : -ENOENT;
        }
        if (lab_executable_dir(bindir, sizeof(bindir)) == 0) {
                snprintf(candidate, sizeof(candidate), "%s/%s", bindir, from_bindir);
                if (file_there(candidate, probe) && realpath(candidate, out)) {
                        *installed = true;
                        return 0;
                }
        }
        snprintf(out, size, "%s", build_tree);
        *installed = false;
        return *build_tree && file_there(out, probe) ? 0 : -ENOENT;
}

int kit_locate(struct kit *kit, char *why, size_t why_size)
{
        if (locate("ESPRESSO_KIT_PKGCONFIG", ESPRESSO_KIT_FROM_BINDIR, ESPRESSO_KIT_BUILD_TREE,
                   "espresso-kit-tsan.pc", kit->pkgconfig_dir, sizeof(kit->pkgconfig_dir),
                   &kit->installed) == 0)
                return 0;
        snprintf(why, why_size, "cannot find the kit (espresso-kit.pc): not in $ESPRESSO_KIT_PKGCONFIG, "
                 "not beside this lab (%s), not in its build tree (%s): build or install the lab",
                 ESPRESSO_KIT_FROM_BINDIR, *ESPRESSO_KIT_BUILD_TREE ? ESPRESSO_KIT_BUILD_TREE : "none");
        return -ENOENT;
}

int exercises_locate(char *dir, size_t size, char *why, size_t why_size)
{
        bool installed;
        if (locate("ESPRESSO_EXERCISES", ESPRESSO_EXERCISES_FROM_BINDIR, ESPRESSO_EXERCISES_SOURCE_TREE,
                   "guard-the-machine.c", dir, size, &installed) == 0)
                return 0;
        snprintf(why, why_size, "cannot find the exercises: not in $ESPRESSO_EXERCISES, not beside "
                 "this lab (%s), not in its source tree (%s)", ESPRESSO_EXERCISES_FROM_BINDIR,
                 *ESPRESSO_EXERCISES_SOURCE_TREE ? ESPRESSO_EXERCISES_SOURCE_TREE : "none");
        return -ENOENT;
}

char *kit_pkg_config(const struct kit *kit, const char *args, char *why, size_t why_size)
{
        char command[PATH_MAX + 256], line[4096];

        /* The kit's folder first, then the system's (for ck, liburcu and jansson). */
        snprintf(command, sizeof(command), "PKG_CONFIG_PATH='%s'${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH} "
                 "pkg-config %s 2>&1", kit->pkgconfig_dir, args);
        FILE *p = popen(command, "r");
        if (!p) {
                snprintf(why, why_size, "cannot run pkg-config: %s", strerror(errno));
                return NULL;
        }
        bool got = fgets(line, sizeof(line), p) != NULL;
        int status = pclose(p);
        if (!got)
                line[0] = '\0';
        line[strcspn(line, "\n")] = '\0';
        if (status != 0) {
                snprintf(why, why_size, "pkg-config %s failed: %.200s", args, line);
                return NULL;
        }
        return strdup(line);
}
