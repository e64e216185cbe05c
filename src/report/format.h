/* The output formats a command may write: a table for people, CSV for spreadsheets, JSON for
 * scripts. */
#ifndef ESPRESSO_FORMAT_H
#define ESPRESSO_FORMAT_H

enum output_format { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON };

#endif
