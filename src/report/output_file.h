/*
 * Files the lab writes (charts, pages): whole or not at all. What is written goes to memory;
 * committing writes it to a temporary file beside the target, syncs it and renames it into
 * place, so that a reader, a full disk or an interrupted lab never sees half a chart, and an old
 * file stays as it was when the new one cannot be written. A target that exists and is not a
 * regular file (a terminal, a pipe, /dev/stdout) cannot be replaced: it is written in place.
 */
#ifndef ESPRESSO_OUTPUT_FILE_H
#define ESPRESSO_OUTPUT_FILE_H

#include <stddef.h>
#include <stdio.h>

struct output_file {
        const char *path;  /* the target, as given */
        FILE *stream;      /* write here; memory until the commit */
        char *buffer;      /* open_memstream's */
        size_t size;       /* bytes in buffer, after the stream is closed */
};

/* 0, or -errno (no memory). */
int output_file_open(struct output_file *f, const char *path);

/* Puts what was written in place: 0, or -errno with the target untouched and no temporary file
 * left behind. Releases f either way. */
int output_file_commit(struct output_file *f);

/* Drops what was written; the target is untouched. */
void output_file_abandon(struct output_file *f);

/* Whether path can be written, as far as can be told before writing: its directory exists, is a
 * directory and is writable, and path is not a directory or a read-only file. 0, or -errno with
 * why in one phrase ("the directory /x does not exist"). */
int output_file_check(const char *path, char *why, size_t why_size);

/* Opens path, lets write() fill the stream, commits. On failure says "espresso-lab: cannot
 * write PATH: reason" on stderr, once, and returns -errno; 0 otherwise. */
int output_file_write(const char *path, void (*write)(FILE *out, const void *arg), const void *arg);

#endif
