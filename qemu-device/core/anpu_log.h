/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The device log: a bounded ring of the most recent lines (firmware boot
 * messages, faults, HDC service events), each stamped with the device clock
 * and numbered. Old lines are overwritten, never reallocated. The HDC log
 * service streams it to the host; the line numbers let a reader notice lines
 * it missed.
 */
#ifndef ANPU_LOG_H
#define ANPU_LOG_H

#include <stdarg.h>
#include <stdint.h>

/* Lines kept; a power of two. */
#define ANPU_LOG_LINES          256
/* Bytes per line including the terminating NUL. */
#define ANPU_LOG_LINE_MAX       160

struct anpu_log_line {
    uint64_t timestamp_ns;
    uint16_t len;                   /* bytes of text, without the NUL */
    char text[ANPU_LOG_LINE_MAX];
};

struct anpu_log {
    /* Number of the next line; [next_seq - count, next_seq) are kept. */
    uint64_t next_seq;
    uint32_t count;
    struct anpu_log_line lines[ANPU_LOG_LINES];
};

/* An empty log whose first line will be number 0. */
void anpu_log_init(struct anpu_log *l);

/*
 * Add one line. Control characters (a trailing newline included) become
 * spaces or are dropped; the text is cut at ANPU_LOG_LINE_MAX - 1 bytes; an
 * empty line is stored as "-".
 */
void anpu_log_add(struct anpu_log *l, uint64_t now_ns, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void anpu_log_vadd(struct anpu_log *l, uint64_t now_ns, const char *fmt,
                   va_list ap) __attribute__((format(printf, 3, 0)));

/* Number of the oldest line still kept (== anpu_log_next_seq when empty). */
uint64_t anpu_log_first_seq(const struct anpu_log *l);
uint64_t anpu_log_next_seq(const struct anpu_log *l);

/* Line number @seq, or NULL when it was overwritten or not written yet. */
const struct anpu_log_line *anpu_log_get(const struct anpu_log *l,
                                         uint64_t seq);

#endif /* ANPU_LOG_H */
