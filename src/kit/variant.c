#include "variant.h"

#ifdef ESPRESSO_TSAN
#include <stdlib.h>
#include <string.h>

bool annotations_on = true;

/* Before main: no thread exists yet, so the flag is only ever read after this write. */
__attribute__((constructor)) static void annotations_configure(void)
{
        const char *setting = getenv("ESPRESSO_TSAN_ANNOTATIONS");
        annotations_on = !(setting && strcmp(setting, "off") == 0);
}
#endif
