/*
 * The one table of a run's fields. The table for people, CSV and JSON are all written from it,
 * so they cannot drift apart: each field has one name ("wait_ns.p50": JSON nests it at the dot,
 * CSV calls the column wait_ns_p50, the table puts wait_ns's parts on one line), one value, and
 * null where it does not apply or was not measured, never a made-up 0.
 */
#ifndef ESPRESSO_RUN_FIELDS_H
#define ESPRESSO_RUN_FIELDS_H

#include "harness/run.h"

#include <stdbool.h>
#include <stddef.h>

enum field_kind { FIELD_NULL, FIELD_WHOLE, FIELD_REAL, FIELD_YES_NO, FIELD_TEXT };

struct field_value {
        enum field_kind kind;
        long long whole;
        double real;
        bool yes;
        const char *text;
};

struct json_t;

struct run_field {
        const char *name;   /* JSON key path and, with '_' for '.', the CSV column */
        struct field_value (*value)(const struct run_result *r);
        const char *format; /* how a real is written: "%.1f" */
        const char *note;   /* the table's word on it, or NULL */
        /* JSON's own form where it is richer than the value (the stuck baristas), or NULL. */
        struct json_t *(*json)(const struct run_result *r);
};

extern const struct run_field run_fields[];
extern const size_t run_field_count;

/* A value written as the table and CSV write it: "12", "3.4", "yes", text; "" for null. */
void field_value_text(const struct run_field *f, struct field_value v, char *out, size_t size);

#endif
