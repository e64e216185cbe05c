#include "die.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void lab_die_at(const char *file, int line, const char *func, const char *fmt, ...)
{
        va_list ap;

        fprintf(stderr, "espresso-lab: fatal: %s:%d (%s): ", file, line, func);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
        abort();
}
