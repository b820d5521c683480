/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The device log ring (see anpu_log.h).
 */
#include <stdio.h>
#include <string.h>

#include "anpu_log.h"

_Static_assert((ANPU_LOG_LINES & (ANPU_LOG_LINES - 1)) == 0,
               "ANPU_LOG_LINES must be a power of two");

void anpu_log_init(struct anpu_log *l)
{
    memset(l, 0, sizeof(*l));
}

void anpu_log_vadd(struct anpu_log *l, uint64_t now_ns, const char *fmt,
                   va_list ap)
{
    struct anpu_log_line *line = &l->lines[l->next_seq % ANPU_LOG_LINES];
    char raw[ANPU_LOG_LINE_MAX];
    size_t i, n = 0;
    int len;

    len = vsnprintf(raw, sizeof(raw), fmt, ap);
    if (len < 0) {
        len = 0;
    }
    if ((size_t)len >= sizeof(raw)) {
        len = sizeof(raw) - 1;
    }
    /*
     * Readers get one line per entry: a newline or escape sequence in a
     * message (a file name, a firmware string) must not forge a second one.
     */
    for (i = 0; i < (size_t)len; i++) {
        unsigned char c = raw[i];

        if (c == '\n' || c == '\r') {
            continue;
        }
        line->text[n++] = (c < 0x20 || c > 0x7e) ? ' ' : (char)c;
    }
    if (n == 0) {
        line->text[n++] = '-';
    }
    line->text[n] = '\0';
    line->len = n;
    line->timestamp_ns = now_ns;
    l->next_seq++;
    if (l->count < ANPU_LOG_LINES) {
        l->count++;
    }
}

void anpu_log_add(struct anpu_log *l, uint64_t now_ns, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    anpu_log_vadd(l, now_ns, fmt, ap);
    va_end(ap);
}

uint64_t anpu_log_first_seq(const struct anpu_log *l)
{
    return l->next_seq - l->count;
}

uint64_t anpu_log_next_seq(const struct anpu_log *l)
{
    return l->next_seq;
}

const struct anpu_log_line *anpu_log_get(const struct anpu_log *l,
                                         uint64_t seq)
{
    if (seq < anpu_log_first_seq(l) || seq >= l->next_seq) {
        return NULL;
    }
    return &l->lines[seq % ANPU_LOG_LINES];
}
