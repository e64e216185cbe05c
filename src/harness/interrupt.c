#include "interrupt.h"

#include "kit/barista.h"

#include <signal.h>
#include <stddef.h>

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
        caught = sig;
        /* Lock-free atomics are async-signal-safe: the baristas end their shifts. */
        atomic_store_explicit(&barista_stop, true, memory_order_relaxed);
}

void interrupt_catch(void)
{
        struct sigaction action = { .sa_handler = on_signal, .sa_flags = SA_RESETHAND };

        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, NULL);
        sigaction(SIGTERM, &action, NULL);
}

int interrupt_signal(void)
{
        return caught;
}
