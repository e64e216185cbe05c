/* Where race-check finds what it runs: the ThreadSanitizer twin and tsan-suppressions. */
#include "race_check.h"
#include "race_check_locate.h"

#include "harness/self.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The first readable suppressions file of: $ESPRESSO_TSAN_SUPPRESSIONS; beside the binary (a
 * build tree); ../share/espresso-lab beside it (an installed lab, wherever its prefix); the
 * data directory the lab was configured to install into (a lab built against the installed kit,
 * wherever it lives). False, with the places tried in why, if none is. */
static bool find_suppressions(const char *dir, char *why, size_t why_size)
{
        const char *chosen = getenv("ESPRESSO_TSAN_SUPPRESSIONS");
        char places[3][PATH_MAX];

        if (chosen && *chosen) {
                snprintf(race_check_suppressions, sizeof(race_check_suppressions), "%s", chosen);
                if (access(race_check_suppressions, R_OK) == 0)
                        return true;
                snprintf(why, why_size, "race-check cannot read ESPRESSO_TSAN_SUPPRESSIONS=%s: %s",
                         chosen, strerror(errno));
                return false;
        }
        snprintf(places[0], sizeof(places[0]), "%s/tsan-suppressions", dir);
        snprintf(places[1], sizeof(places[1]), "%s/../share/espresso-lab/tsan-suppressions", dir);
        snprintf(places[2], sizeof(places[2]), "%s", ESPRESSO_INSTALLED_SUPPRESSIONS);
        for (size_t i = 0; i < 3; i++)
                if (access(places[i], R_OK) == 0) {
                        snprintf(race_check_suppressions, sizeof(race_check_suppressions), "%s", places[i]);
                        return true;
                }
        snprintf(why, why_size, "race-check needs tsan-suppressions, in %s, %s or %s (or name it in "
                 "ESPRESSO_TSAN_SUPPRESSIONS)", places[0], places[1], places[2]);
        return false;
}

int race_check_locate(char *why, size_t why_size)
{
        char self[PATH_MAX];
        int rc = lab_executable_path(self, sizeof(self));

        if (rc != 0) {
                snprintf(why, why_size, "cannot tell where espresso-lab is: %s", strerror(-rc));
                return -ENOENT;
        }
        /* The twin is named after the binary: espresso-lab's is espresso-lab-tsan, a lab built
         * against the kit as my-lab has my-lab-tsan. */
        int written = snprintf(race_check_tsan_binary, sizeof(race_check_tsan_binary), "%s-tsan", self);
        if (written < 0 || (size_t)written >= sizeof(race_check_tsan_binary)) {
                snprintf(why, why_size, "the path of %s is too long", self);
                return -ENOENT;
        }
        if (access(race_check_tsan_binary, X_OK) != 0) {
                snprintf(why, why_size, "race-check needs %s, the ThreadSanitizer build beside it "
                         "(build it: cmake --build --preset default)", race_check_tsan_binary);
                return -ENOENT;
        }
        return find_suppressions(dirname(self), why, why_size) ? 0 : -ENOENT;
}

