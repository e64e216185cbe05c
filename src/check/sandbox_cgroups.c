/* The box's cgroups (sandbox_parts.h): v2 where it has the pids and memory controllers, else
 * v1's pids and memory hierarchies. */
#include "sandbox_parts.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_text(const char *dir, const char *file, const char *text)
{
        char path[CGROUP_PATH_MAX + 32];
        snprintf(path, sizeof(path), "%s/%s", dir, file);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        ssize_t n = write(fd, text, strlen(text));
        int err = n < 0 ? -errno : 0;
        close(fd);
        return err;
}

/* The number after `key` in a "key value" file (pids.events, memory.events), or 0. */
unsigned long long cgroup_read_keyed(const char *dir, const char *file, const char *key)
{
        char path[CGROUP_PATH_MAX + 32], name[64];
        unsigned long long value, found = 0;
        snprintf(path, sizeof(path), "%s/%s", dir, file);
        FILE *f = fopen(path, "re");
        if (!f)
                return 0;
        while (fscanf(f, "%63s %llu", name, &value) == 2)
                if (strcmp(name, key) == 0)
                        found = value;
        fclose(f);
        return found;
}

static bool controller_enabled(const char *list_file, const char *controller)
{
        char words[512];
        FILE *f = fopen(list_file, "re");
        bool found = false;
        if (!f)
                return false;
        if (fgets(words, sizeof(words), f)) {
                for (char *w = strtok(words, " \n"); w; w = strtok(NULL, " \n"))
                        found |= strcmp(w, controller) == 0;
        }
        fclose(f);
        return found;
}

static bool make_group(const char *parent, char *out)
{
        static unsigned made;
        snprintf(out, CGROUP_PATH_MAX, "%s/espresso-lab-%d-%u", parent, (int)getpid(), made++);
        if (mkdir(out, 0755) == 0)
                return true;
        out[0] = '\0';
        return false;
}

void cgroups_make(struct box_cgroups *cg, const struct sandbox_limits *limits)
{
        char text[32];

        memset(cg, 0, sizeof(*cg));
        if (controller_enabled("/sys/fs/cgroup/cgroup.subtree_control", "pids") &&
            controller_enabled("/sys/fs/cgroup/cgroup.subtree_control", "memory") &&
            make_group("/sys/fs/cgroup", cg->pids)) {
                cg->v2 = true;
                snprintf(cg->memory, sizeof(cg->memory), "%s", cg->pids);
                snprintf(text, sizeof(text), "%u", limits->processes);
                write_text(cg->pids, "pids.max", text);
                snprintf(text, sizeof(text), "%llu", (unsigned long long)limits->memory_bytes);
                write_text(cg->memory, "memory.max", text);
                write_text(cg->memory, "memory.swap.max", "0");
                return;
        }
        if (access("/sys/fs/cgroup/pids/tasks", W_OK) == 0 && make_group("/sys/fs/cgroup/pids", cg->pids)) {
                snprintf(text, sizeof(text), "%u", limits->processes);
                if (write_text(cg->pids, "pids.max", text) != 0) {
                        rmdir(cg->pids);
                        cg->pids[0] = '\0';
                }
        }
        if (access("/sys/fs/cgroup/memory/tasks", W_OK) == 0 &&
            make_group("/sys/fs/cgroup/memory", cg->memory)) {
                snprintf(text, sizeof(text), "%llu", (unsigned long long)limits->memory_bytes);
                if (write_text(cg->memory, "memory.limit_in_bytes", text) != 0) {
                        rmdir(cg->memory);
                        cg->memory[0] = '\0';
                }
        }
}

/* In the child: joins the box's cgroups (before dropping privileges, which would forbid it). */
void cgroups_join(const struct box_cgroups *cg)
{
        char pid[24];
        snprintf(pid, sizeof(pid), "%d", (int)getpid());
        if (cg->pids[0])
                write_text(cg->pids, "cgroup.procs", pid);
        if (cg->memory[0] && !cg->v2)
                write_text(cg->memory, "cgroup.procs", pid);
}

/* Kills every process in the group until it is empty, then removes it. */
unsigned cgroup_empty(const char *dir)
{
        char path[CGROUP_PATH_MAX + 32];
        unsigned killed = 0;
        snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
        for (int round = 0; round < 100; round++) {
                FILE *f = fopen(path, "re");
                int pid, seen = 0;
                if (!f)
                        break;
                while (fscanf(f, "%d", &pid) == 1) {
                        kill(pid, SIGKILL);
                        seen++;
                }
                fclose(f);
                if (seen == 0)
                        break;
                killed += (unsigned)seen;
                usleep(2000);
        }
        rmdir(dir);
        return killed;
}

/* The memory cgroup's own count (v1 memory.usage_in_bytes, v2 memory.current), or 0 when there
 * is none. Better than summing resident sets, which counts every page a fork shares once per
 * process. */
uint64_t cgroup_memory(const struct box_cgroups *cg)
{
        char path[CGROUP_PATH_MAX + 32];
        unsigned long long bytes = 0;
        if (!cg->memory[0])
                return 0;
        snprintf(path, sizeof(path), "%s/%s", cg->memory, cg->v2 ? "memory.current" : "memory.usage_in_bytes");
        FILE *f = fopen(path, "re");
        if (f) {
                if (fscanf(f, "%llu", &bytes) != 1)
                        bytes = 0;
                fclose(f);
        }
        return bytes;
}
