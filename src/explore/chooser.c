/* How a controlled run chooses who goes next (chooser.h). */
#include "chooser.h"

#include <stdio.h>
#include <string.h>

/* splitmix64: small, and the same sequence from the same seed everywhere. */
static uint64_t next_random(uint64_t *state)
{
        uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
}

static uint64_t random_below(uint64_t *state, uint64_t n)
{
        return n ? next_random(state) % n : 0;
}

uint32_t default_choice(uint32_t current, uint32_t runnable, bool yielded)
{
        bool current_can = current && (runnable >> (current - 1) & 1);

        if (current_can && !yielded)
                return current;
        for (uint32_t b = 1; b <= SCHEDULE_MAX_BARISTAS; b++)
                if ((runnable >> (b - 1) & 1) && b != current)
                        return b;
        return current;
}

/* PCT (Burckhardt et al., ASPLOS 2010): n distinct random priorities d..d+n-1, and d-1 change
 * points drawn from the k steps; at the i-th, the barista that would go next drops to priority
 * d-i, below every first priority and below every earlier drop. The highest-priority barista
 * that can go, goes. */
static void pct_start(struct chooser_state *s, uint32_t staff)
{
        const struct chooser *c = s->chooser;
        uint32_t depth = c->depth ? c->depth : 1;
        uint32_t order[SCHEDULE_MAX_BARISTAS];

        for (uint32_t i = 0; i < staff; i++)
                order[i] = i + 1;
        for (uint32_t i = staff; i > 1; i--) {
                uint32_t j = (uint32_t)random_below(&s->random, i);
                uint32_t t = order[i - 1];
                order[i - 1] = order[j];
                order[j] = t;
        }
        for (uint32_t i = 0; i < staff; i++)
                s->priority[order[i]] = (int64_t)depth + i;
        s->changes = depth - 1 < 16 ? depth - 1 : 16;
        for (uint32_t i = 0; i < s->changes; i++)
                s->change_at[i] = 1 + random_below(&s->random, c->steps ? c->steps : 1);
        for (uint32_t i = 1; i < s->changes; i++) /* insertion sort: a handful */
                for (uint32_t j = i; j > 0 && s->change_at[j - 1] > s->change_at[j]; j--) {
                        uint64_t t = s->change_at[j];
                        s->change_at[j] = s->change_at[j - 1];
                        s->change_at[j - 1] = t;
                }
        s->lowest = 0;
}

void chooser_start(struct chooser_state *s, const struct chooser *chooser, uint32_t staff,
                   __attribute__((noreturn)) void (*refuse)(const char *why))
{
        memset(s, 0, sizeof(*s));
        s->chooser = chooser;
        s->random = chooser->seed;
        s->refuse = refuse;
        if (chooser->kind == CHOOSE_PCT)
                pct_start(s, staff);
}

static uint32_t runnable_mask(const struct schedule_choice *c)
{
        uint32_t mask = 0;

        for (uint32_t i = 0; i < c->count; i++)
                mask |= 1u << (c->runnable[i] - 1);
        return mask;
}

static uint32_t highest(const struct chooser_state *s, const struct schedule_choice *c)
{
        uint32_t best = c->runnable[0];

        for (uint32_t i = 1; i < c->count; i++)
                if (s->priority[c->runnable[i]] > s->priority[best])
                        best = c->runnable[i];
        return best;
}

static uint32_t choose_pct(struct chooser_state *s, const struct schedule_choice *c)
{
        /* A barista giving way goes below everyone (after the change points' priorities too). */
        if (c->yielded && c->current)
                s->priority[c->current] = --s->lowest;
        /* Change points passed since the last choice (one on a step nobody could have chosen
         * differently waits for the next choice). Several at once all fall on the one barista
         * about to go, which ends with the lowest of them. */
        uint32_t next = highest(s, c);
        while (s->changes_made < s->changes && s->change_at[s->changes_made] <= c->step) {
                s->changes_made++;
                s->priority[next] = (int64_t)(s->chooser->depth - s->changes_made);
        }
        return highest(s, c);
}

static uint32_t choose_random(struct chooser_state *s, const struct schedule_choice *c)
{
        uint32_t others[SCHEDULE_MAX_BARISTAS], n = 0;

        /* A barista giving way goes last, when anyone else can go. */
        for (uint32_t i = 0; i < c->count; i++)
                if (!(c->yielded && c->runnable[i] == c->current))
                        others[n++] = c->runnable[i];
        if (n == 0)
                return c->runnable[0];
        return others[random_below(&s->random, n)];
}

static uint32_t choose_switches(struct chooser_state *s, const struct schedule_choice *c,
                                uint32_t mask)
{
        const struct chooser *ch = s->chooser;

        while (s->next_switch < ch->switch_count && ch->switches[s->next_switch].step < c->step)
                s->next_switch++;
        if (s->next_switch < ch->switch_count && ch->switches[s->next_switch].step == c->step) {
                uint32_t wanted = ch->switches[s->next_switch++].barista;
                if (wanted && wanted <= SCHEDULE_MAX_BARISTAS && (mask >> (wanted - 1) & 1))
                        return wanted;
        }
        return default_choice(c->current, mask, c->yielded);
}

static uint32_t choose_sequence(struct chooser_state *s, const struct schedule_choice *c,
                                uint32_t mask)
{
        const struct chooser *ch = s->chooser;

        if (c->step >= ch->length)
                return default_choice(c->current, mask, c->yielded);
        uint32_t wanted = ch->sequence[c->step];
        if (wanted == 0 || wanted > SCHEDULE_MAX_BARISTAS || !(mask >> (wanted - 1) & 1)) {
                char why[160];
                snprintf(why, sizeof(why), "at step %llu it names barista %u, who cannot go there",
                         (unsigned long long)c->step + 1, wanted);
                s->refuse(why);
        }
        return wanted;
}

uint32_t chooser_choose(void *context, const struct schedule_choice *c)
{
        struct chooser_state *s = context;
        uint32_t mask = runnable_mask(c);

        switch (s->chooser->kind) {
        case CHOOSE_RANDOM:
                return choose_random(s, c);
        case CHOOSE_PCT:
                return choose_pct(s, c);
        case CHOOSE_SWITCHES:
                return choose_switches(s, c, mask);
        case CHOOSE_SEQUENCE:
                return choose_sequence(s, c, mask);
        }
        return c->runnable[0];
}
