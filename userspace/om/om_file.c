/* SPDX-License-Identifier: MIT */
/*
 * Whole .om files to and from disk. Reads land in a 64-byte-aligned
 * buffer, as om_parse() wants.
 */
#define _POSIX_C_SOURCE 200809L   /* fileno, fstat */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "om.h"

int om_write_file(const char *path, const void *buf, size_t len, char *err,
                  size_t errlen)
{
    FILE *f = fopen(path, "wb");

    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fwrite(buf, 1, len, f) != len) {
        snprintf(err, errlen, "%s: write failed: %s", path, strerror(errno));
        fclose(f);
        return -1;
    }
    if (fclose(f)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

void *om_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    void *buf;

    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size > OM_MAX_FILE) {
        snprintf(err, errlen, "%s: not a regular file of at most %llu bytes",
                 path, (unsigned long long)OM_MAX_FILE);
        fclose(f);
        return NULL;
    }
    buf = aligned_alloc(OM_SECTION_ALIGN,
                        ((size_t)st.st_size + OM_SECTION_ALIGN) /
                        OM_SECTION_ALIGN * OM_SECTION_ALIGN);
    if (!buf) {
        snprintf(err, errlen, "%s: out of memory", path);
        fclose(f);
        return NULL;
    }
    if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        snprintf(err, errlen, "%s: short read", path);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = (size_t)st.st_size;
    return buf;
}
