/* SIGINT and SIGTERM, turned into a flag that runs and sweeps look at, so that what was measured
 * so far is still reported. A second signal ends the process as usual. */
#ifndef ESPRESSO_INTERRUPT_H
#define ESPRESSO_INTERRUPT_H

/* Catches SIGINT and SIGTERM from now on: the first one sets the flag and stops the baristas
 * (barista_stop), the next one is not caught. */
void interrupt_catch(void);

/* The signal caught, or 0. */
int interrupt_signal(void);

/* The exit code of a process ended by sig: 128 + sig, as a shell reports it (130 for SIGINT). */
static inline int interrupt_exit_code(int sig)
{
        return 128 + sig;
}

#endif
