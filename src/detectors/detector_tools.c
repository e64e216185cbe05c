/* Where each detector's build of the lab is, and the programs they need. */
#include "detectors.h"

#include "harness/self.h"
#include "tsan/race_check.h"
#include "tsan/race_check_locate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The first executable `name` on $PATH into out, or "" . */
static void find_on_path(const char *name, char *out, size_t size)
{
        const char *path = getenv("PATH");
        char dir[PATH_MAX];

        out[0] = '\0';
        while (path && *path) {
                size_t len = strcspn(path, ":");
                if (len > 0 && len < sizeof(dir)) {
                        memcpy(dir, path, len);
                        dir[len] = '\0';
                        int n = snprintf(out, size, "%s/%s", dir, name);
                        if (n > 0 && (size_t)n < size && access(out, X_OK) == 0)
                                return;
                }
                path += len + (path[len] == ':');
        }
        out[0] = '\0';
}

/* self's twin with this suffix, if it is there: true with its path in out. */
static bool twin(const char *self, const char *suffix, char *out, size_t size)
{
        int n = snprintf(out, size, "%s%s", self, suffix);
        if (n < 0 || (size_t)n >= size || access(out, X_OK) != 0) {
                out[0] = '\0';
                return false;
        }
        return true;
}

/* $ESPRESSO_VALGRIND_SUPPRESSIONS if set (empty: none, to show what they hide), else
 * valgrind-suppressions beside the lab, or where an installed lab keeps it. */
static void find_valgrind_suppressions(const char *self, char *out, size_t size)
{
        const char *chosen = getenv("ESPRESSO_VALGRIND_SUPPRESSIONS");
        char dir[PATH_MAX];

        if (chosen) {
                snprintf(out, size, "%s", chosen);
                return;
        }
        snprintf(dir, sizeof(dir), "%s", self);
        char *slash = strrchr(dir, '/');
        if (slash)
                *slash = '\0';
        const char *places[] = { "%s/valgrind-suppressions", "%s/../share/espresso-lab/valgrind-suppressions" };
        for (size_t i = 0; i < 2; i++) {
                int n = snprintf(out, size, places[i], dir);
                if (n > 0 && (size_t)n < size && access(out, R_OK) == 0)
                        return;
        }
        out[0] = '\0';
}

void detector_tools_locate(struct detector_tools *t)
{
        char self[PATH_MAX];

        memset(t, 0, sizeof(*t));
        if (lab_executable_path(self, sizeof(self)) != 0) {
                for (int d = 0; d < DETECTOR_COUNT; d++)
                        snprintf(t->missing[d], sizeof(t->missing[d]), "cannot tell where espresso-lab is");
                return;
        }
        if (!twin(self, "-tsan", t->lab[DETECTOR_TSAN_CLANG], sizeof(t->lab[0])))
                snprintf(t->missing[DETECTOR_TSAN_CLANG], sizeof(t->missing[0]),
                         "no %s-tsan beside the lab (build it: cmake --build --preset default)", self);
        if (!twin(self, "-tsan-gcc", t->lab[DETECTOR_TSAN_GCC], sizeof(t->lab[0])))
                snprintf(t->missing[DETECTOR_TSAN_GCC], sizeof(t->missing[0]),
                         "no %s-tsan-gcc: it is built when gcc can link -fsanitize=thread "
                         "(install gcc and libtsan2, then rebuild)", self);
        find_on_path("valgrind", t->valgrind, sizeof(t->valgrind));
        bool valgrind_twin = twin(self, "-valgrind", t->lab[DETECTOR_HELGRIND], sizeof(t->lab[0]));
        snprintf(t->lab[DETECTOR_DRD], sizeof(t->lab[0]), "%s", t->lab[DETECTOR_HELGRIND]);
        for (int d = DETECTOR_HELGRIND; d <= DETECTOR_DRD; d++) {
                if (!t->valgrind[0])
                        snprintf(t->missing[d], sizeof(t->missing[0]),
                                 "valgrind is not installed (apt-get install valgrind)");
                else if (!valgrind_twin)
                        snprintf(t->missing[d], sizeof(t->missing[0]),
                                 "no %s-valgrind beside the lab: it is built when valgrind's headers "
                                 "are there (install valgrind, then rebuild)", self);
        }
        /* The build timed natively: the Valgrind twin is compiled as the TSan twins are (-O1),
         * without a sanitizer, so the ratios are the detectors' cost, not the optimizer's. */
        if (valgrind_twin)
                snprintf(t->baseline, sizeof(t->baseline), "%s", t->lab[DETECTOR_HELGRIND]);
        else
                snprintf(t->baseline, sizeof(t->baseline), "%s", self);
        find_valgrind_suppressions(self, t->valgrind_suppressions, sizeof(t->valgrind_suppressions));
        char why[512];
        if (race_check_locate(why, sizeof(why)) == 0)
                snprintf(t->tsan_suppressions, sizeof(t->tsan_suppressions), "%s", race_check_suppressions);
        find_on_path("clang", t->clang, sizeof(t->clang));
        find_on_path("gcc", t->gcc, sizeof(t->gcc));
}
