#include "self.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

int lab_executable_path(char *out, size_t size)
{
        ssize_t n = readlink("/proc/self/exe", out, size - 1);

        if (n < 0)
                return -errno;
        if ((size_t)n >= size - 1)
                return -ENAMETOOLONG;
        out[n] = '\0';
        return 0;
}

int lab_executable_dir(char *out, size_t size)
{
        int rc = lab_executable_path(out, size);
        if (rc != 0)
                return rc;
        char *slash = strrchr(out, '/');
        if (slash)
                *slash = '\0';
        return 0;
}
