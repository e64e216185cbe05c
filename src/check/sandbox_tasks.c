/* The box's tasks, read from /proc (sandbox_parts.h). */
#include "sandbox_parts.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct proc_entry {
        int pid, ppid, pgrp;
        unsigned threads;
        uint64_t resident_pages;
};

static bool read_proc_entry(int pid, struct proc_entry *e)
{
        char path[64], text[1024];
        snprintf(path, sizeof(path), "/proc/%d/stat", pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return false;
        ssize_t n = read(fd, text, sizeof(text) - 1);
        close(fd);
        if (n <= 0)
                return false;
        text[n] = '\0';
        /* The command name may hold spaces and parentheses: the fields start after the last ')'. */
        char *after = strrchr(text, ')');
        if (!after)
                return false;
        char state;
        long threads;
        unsigned long long resident;
        /* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
         * cutime cstime priority nice num_threads itrealvalue starttime vsize rss */
        if (sscanf(after + 1, " %c %d %d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d "
                   "%ld %*d %*u %*u %llu", &state, &e->ppid, &e->pgrp, &threads, &resident) != 5)
                return false;
        e->pid = pid;
        e->threads = state == 'Z' ? 0 : (unsigned)threads;
        e->resident_pages = resident;
        return true;
}

/* Every process, read once. The caller frees. */
static struct proc_entry *read_all_processes(size_t *count)
{
        size_t used = 0, size = 256;
        struct proc_entry *all = malloc(size * sizeof(*all));
        DIR *d = opendir("/proc");
        struct dirent *de;

        if (!all || !d) {
                free(all);
                if (d)
                        closedir(d);
                *count = 0;
                return NULL;
        }
        while ((de = readdir(d))) {
                int pid = atoi(de->d_name);
                if (pid <= 0)
                        continue;
                if (used == size) {
                        struct proc_entry *bigger = realloc(all, 2 * size * sizeof(*all));
                        if (!bigger)
                                break;
                        all = bigger;
                        size *= 2;
                }
                if (read_proc_entry(pid, &all[used]))
                        used++;
        }
        closedir(d);
        *count = used;
        return all;
}

/* Marks the box's processes: the child's group, its descendants, and orphans re-parented to the
 * lab (a subreaper), which during a box can only have come from it. */
static void mark_members(struct proc_entry *all, size_t n, bool *member, int child)
{
        int self = (int)getpid();
        bool grew = true;

        for (size_t i = 0; i < n; i++)
                member[i] = all[i].pid == child || all[i].pgrp == child ||
                            (all[i].ppid == self && all[i].pid != self);
        while (grew) {
                grew = false;
                for (size_t i = 0; i < n; i++) {
                        if (member[i])
                                continue;
                        for (size_t j = 0; j < n; j++)
                                if (member[j] && all[j].pid == all[i].ppid) {
                                        member[i] = grew = true;
                                        break;
                                }
                }
        }
}

/* Counts the box's tasks and memory; with kill_them, kills its processes too. */
struct task_count box_tasks(int child, bool kill_them, unsigned *killed)
{
        struct task_count c = { 0, 0 };
        size_t n;
        struct proc_entry *all = read_all_processes(&n);
        bool *member = calloc(n ? n : 1, sizeof(bool));
        long page = sysconf(_SC_PAGESIZE);

        if (all && member) {
                mark_members(all, n, member, child);
                for (size_t i = 0; i < n; i++) {
                        if (!member[i])
                                continue;
                        c.tasks += all[i].threads;
                        c.resident_bytes += all[i].resident_pages * (uint64_t)page;
                        if (kill_them && all[i].threads > 0 && kill(all[i].pid, SIGKILL) == 0 && killed)
                                (*killed)++;
                }
        }
        free(member);
        free(all);
        return c;
}

/* Tasks the user already has, when the box runs as that user: RLIMIT_NPROC counts them all. */
unsigned tasks_of_user(unsigned uid)
{
        size_t n;
        unsigned tasks = 0;
        struct proc_entry *all = read_all_processes(&n);
        struct stat st;
        char path[64];
        for (size_t i = 0; all && i < n; i++) {
                snprintf(path, sizeof(path), "/proc/%d", all[i].pid);
                if (stat(path, &st) == 0 && st.st_uid == uid)
                        tasks += all[i].threads;
        }
        free(all);
        return tasks;
}
