/* Static objects' names from this program's ELF symbol table (symbols.h). */
#include "symbols.h"

#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct object_symbol {
        uintptr_t start, size;
        const char *name; /* into the loaded string table */
};

static struct object_symbol *symbols;
static size_t symbol_count;
static char *image; /* the program's file, read once */
static bool loaded;

static int first_object(struct dl_phdr_info *info, size_t size, void *data)
{
        (void)size;
        *(uintptr_t *)data = info->dlpi_addr; /* the first is the program itself */
        return 1;
}

static char *read_file(const char *path, size_t *size)
{
        FILE *f = fopen(path, "rb");
        char *buf = NULL;
        long n;

        if (!f)
                return NULL;
        if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
            (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, f) != (size_t)n) {
                free(buf);
                buf = NULL;
        }
        fclose(f);
        *size = buf ? (size_t)n : 0;
        return buf;
}

static void load_symbols(void)
{
        size_t size;
        uintptr_t bias = 0;

        loaded = true;
        image = read_file("/proc/self/exe", &size);
        if (!image || size < sizeof(Elf64_Ehdr) || memcmp(image, ELFMAG, SELFMAG) != 0)
                return;
        dl_iterate_phdr(first_object, &bias);
        const Elf64_Ehdr *eh = (const Elf64_Ehdr *)image;
        if (eh->e_shoff == 0 || eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > size)
                return;
        const Elf64_Shdr *sections = (const Elf64_Shdr *)(image + eh->e_shoff);
        for (size_t i = 0; i < eh->e_shnum; i++) {
                const Elf64_Shdr *sh = &sections[i];
                if (sh->sh_type != SHT_SYMTAB || sh->sh_link >= eh->e_shnum)
                        continue;
                const Elf64_Shdr *strings = &sections[sh->sh_link];
                if (sh->sh_offset + sh->sh_size > size || strings->sh_offset + strings->sh_size > size)
                        return;
                const Elf64_Sym *syms = (const Elf64_Sym *)(image + sh->sh_offset);
                size_t n = sh->sh_size / sizeof(Elf64_Sym);
                symbols = calloc(n ? n : 1, sizeof(*symbols));
                if (!symbols)
                        return;
                for (size_t k = 0; k < n; k++) {
                        if (ELF64_ST_TYPE(syms[k].st_info) != STT_OBJECT || syms[k].st_size == 0 ||
                            syms[k].st_name >= strings->sh_size)
                                continue;
                        symbols[symbol_count++] = (struct object_symbol){
                                bias + syms[k].st_value, syms[k].st_size,
                                image + strings->sh_offset + syms[k].st_name };
                }
                return;
        }
}

bool symbol_name_at(uintptr_t address, char *out, size_t size)
{
        if (!loaded)
                load_symbols();
        for (size_t i = 0; i < symbol_count; i++) {
                const struct object_symbol *s = &symbols[i];
                if (address < s->start || address >= s->start + s->size)
                        continue;
                if (address == s->start)
                        snprintf(out, size, "%s", s->name);
                else
                        snprintf(out, size, "%s+%zu", s->name, (size_t)(address - s->start));
                return true;
        }
        return false;
}
