#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void text_wrap(FILE *out, const char *text, unsigned column, unsigned width)
{
        unsigned at = column;

        while (*text) {
                size_t word = strcspn(text, " ");
                if (at > column && at + 1 + word > width) {
                        fprintf(out, "\n%*s", (int)column, "");
                        at = column;
                } else if (at > column) {
                        fputc(' ', out);
                        at++;
                }
                fwrite(text, 1, word, out);
                at += (unsigned)word;
                text += word;
                text += strspn(text, " ");
        }
        fputc('\n', out);
}

void text_paragraph(FILE *out, const char *text, unsigned column, unsigned width)
{
        fprintf(out, "%*s", (int)column, "");
        text_wrap(out, text, column, width);
}

bool text_colour_wanted(FILE *out)
{
        const char *term = getenv("TERM");

        return isatty(fileno(out)) && !getenv("NO_COLOR") && !(term && strcmp(term, "dumb") == 0);
}

void text_csv_cell(FILE *out, const char *text)
{
        if (!strpbrk(text, ",\"\n\r")) {
                fputs(text, out);
                return;
        }
        fputc('"', out);
        for (const char *c = text; *c; c++) {
                if (*c == '"')
                        fputc('"', out);
                fputc(*c, out);
        }
        fputc('"', out);
}
