/* Text for people at a terminal or a projector: wrapped to a width, coloured only where wanted. */
#ifndef ESPRESSO_TEXT_H
#define ESPRESSO_TEXT_H

#include <stdbool.h>
#include <stdio.h>

/* Prints text from the cursor, which stands at column `column`, wrapping at blanks so that no line
 * passes `width` columns (a word longer than that stands alone); continued lines are indented to
 * `column`. Ends the last line. */
void text_wrap(FILE *out, const char *text, unsigned column, unsigned width);

/* The same for a paragraph of its own: indents the first line to `column` too. */
void text_paragraph(FILE *out, const char *text, unsigned column, unsigned width);

/* Colour only for a person at a terminal who has not asked for none (NO_COLOR, TERM=dumb). */
bool text_colour_wanted(FILE *out);

/* Text as one CSV cell: quoted, with quotes doubled, when it holds a comma, a quote or a line
 * break. */
void text_csv_cell(FILE *out, const char *text);

#endif
