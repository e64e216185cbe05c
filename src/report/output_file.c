/* Files written whole or not at all: memory first, then a temporary file renamed into place. */
#include "output_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int output_file_open(struct output_file *f, const char *path)
{
        memset(f, 0, sizeof(*f));
        f->path = path;
        /* In memory, so that nothing reaches the disk until all of it can: a write error then
         * shows at one place, the commit, with its own errno. */
        f->stream = open_memstream(&f->buffer, &f->size);
        return f->stream ? 0 : -errno;
}

void output_file_abandon(struct output_file *f)
{
        if (f->stream)
                fclose(f->stream);
        free(f->buffer);
        memset(f, 0, sizeof(*f));
}

static int write_all(int fd, const char *data, size_t size)
{
        while (size > 0) {
                ssize_t done = write(fd, data, size);
                if (done < 0 && errno == EINTR)
                        continue;
                if (done < 0)
                        return errno;
                data += done;
                size -= (size_t)done;
        }
        return 0;
}

/* A device or a pipe cannot be renamed over: it gets the bytes as they are. */
static int write_in_place(const char *path, const char *data, size_t size)
{
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return errno;
        int err = write_all(fd, data, size);
        if (close(fd) != 0 && !err)
                err = errno;
        return err;
}

/* Creates "PATH.tmp.PID.N" beside path, mode 0666 less the umask as for any new file. The fd,
 * or -errno; the name in *temp (to free). */
static int open_temporary(const char *path, char **temp)
{
        size_t size = strlen(path) + 48;
        *temp = malloc(size);
        if (!*temp)
                return -ENOMEM;
        for (unsigned n = 0; n < 100; n++) {
                snprintf(*temp, size, "%s.tmp.%ld.%u", path, (long)getpid(), n);
                int fd = open(*temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
                if (fd >= 0 || errno != EEXIST)
                        return fd >= 0 ? fd : -errno;
        }
        return -EEXIST;
}

static int write_into_place(const char *path, const char *data, size_t size)
{
        struct stat st;
        char *temp = NULL;

        if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
                return write_in_place(path, data, size);
        int fd = open_temporary(path, &temp);
        if (fd < 0) {
                free(temp);
                return -fd;
        }
        int err = write_all(fd, data, size);
        /* Synced before the rename: after a crash the name shows the new bytes or the old
         * file, never an empty one. */
        if (!err && fsync(fd) != 0)
                err = errno;
        if (close(fd) != 0 && !err)
                err = errno;
        if (!err && rename(temp, path) != 0)
                err = errno;
        if (err)
                unlink(temp);
        free(temp);
        return err;
}

int output_file_commit(struct output_file *f)
{
        int err = ferror(f->stream) ? ENOMEM : 0; /* a memory stream fails only for memory */

        if (fclose(f->stream) != 0 && !err)
                err = errno;
        f->stream = NULL;
        if (!err)
                err = write_into_place(f->path, f->buffer, f->size);
        output_file_abandon(f);
        return -err;
}

/* The directory path would be created in ("." for a bare name), into dir. */
static void directory_of(const char *path, char *dir, size_t size)
{
        const char *slash = strrchr(path, '/');

        if (!slash)
                snprintf(dir, size, ".");
        else if (slash == path)
                snprintf(dir, size, "/");
        else
                snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

int output_file_check(const char *path, char *why, size_t why_size)
{
        char dir[4096];
        struct stat st;

        if (!*path) {
                snprintf(why, why_size, "no file name");
                return -ENOENT;
        }
        if (stat(path, &st) == 0) {
                if (S_ISDIR(st.st_mode)) {
                        snprintf(why, why_size, "it is a directory");
                        return -EISDIR;
                }
                /* A read-only file could be renamed over; it was made read-only for a reason. */
                if (access(path, W_OK) != 0) {
                        int err = errno;
                        snprintf(why, why_size, "%s", strerror(err));
                        return -err;
                }
                if (!S_ISREG(st.st_mode))
                        return 0; /* written in place */
        }
        directory_of(path, dir, sizeof(dir));
        if (stat(dir, &st) != 0) {
                int err = errno;
                if (err == ENOENT)
                        snprintf(why, why_size, "the directory %s does not exist", dir);
                else
                        snprintf(why, why_size, "the directory %s: %s", dir, strerror(err));
                return -err;
        }
        if (!S_ISDIR(st.st_mode)) {
                snprintf(why, why_size, "%s is not a directory", dir);
                return -ENOTDIR;
        }
        if (access(dir, W_OK | X_OK) != 0) {
                int err = errno;
                snprintf(why, why_size, "the directory %s is not writable (%s)", dir, strerror(err));
                return -err;
        }
        return 0;
}

int output_file_write(const char *path, void (*fill)(FILE *out, const void *arg), const void *arg)
{
        struct output_file f;
        int rc = output_file_open(&f, path);

        if (rc == 0) {
                fill(f.stream, arg);
                rc = output_file_commit(&f);
        }
        if (rc != 0)
                fprintf(stderr, "espresso-lab: cannot write %s: %s\n", path, strerror(-rc));
        return rc;
}
