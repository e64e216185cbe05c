/* A schedule replayed exactly (explore.h's replay), or refused with the reason it does not fit. */
#include "explore.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int replay(const struct controlled_config *config, const struct schedule_text *t,
           struct controlled_result *r, char *why, size_t why_size)
{
        uint32_t fingerprint;
        int err;

        if (strcmp(t->scenario, config->scenario->name) != 0) {
                snprintf(why, why_size, "the schedule is for %s, not %s", t->scenario,
                         config->scenario->name);
                return -EINVAL;
        }
        if ((err = explore_fingerprint(config, &fingerprint, why, why_size)) != 0)
                return err;
        if (fingerprint != t->fingerprint) {
                snprintf(why, why_size, "the schedule was made for another %s: its steps differ "
                         "(fingerprint %06x here, %06x in the schedule); was the file changed?",
                         config->scenario->name, fingerprint, t->fingerprint);
                return -EINVAL;
        }
        struct chooser c = { .kind = CHOOSE_SEQUENCE, .sequence = t->sequence, .length = t->length };
        if ((err = controlled_run(config, &c, r)) != 0) {
                snprintf(why, why_size, "no controlled run could be made: %s", strerror(-err));
                return err;
        }
        if (r->refused[0]) {
                snprintf(why, why_size, "it does not fit %s: %s", config->scenario->name, r->refused);
                controlled_result_free(r);
                return -EINVAL;
        }
        /* The steps nobody could have taken otherwise were not asked: they must agree too. */
        for (uint64_t j = 0; j < t->length && j < r->trace.count; j++)
                if (r->trace.steps[j].barista != t->sequence[j]) {
                        snprintf(why, why_size, "it does not fit %s: at step %" PRIu64 " it names "
                                 "barista %u, but only barista %u could go", config->scenario->name,
                                 j + 1, t->sequence[j], r->trace.steps[j].barista);
                        controlled_result_free(r);
                        return -EINVAL;
                }
        if (t->length > r->trace.count && finding_is_bug(r->finding) == false) {
                snprintf(why, why_size, "it does not fit %s: the run ended after %" PRIu64
                         " steps, and the schedule names %" PRIu64, config->scenario->name,
                         r->trace.count, t->length);
                controlled_result_free(r);
                return -EINVAL;
        }
        return 0;
}
