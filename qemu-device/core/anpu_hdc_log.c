/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * HDC log service (vascend_hdc_svc.h): the device log, device -> host. The
 * service keeps only a cursor into the device log's ring: a line is built
 * when the host has a credit for it, so a host that stops reading costs
 * nothing but the lines the ring overwrites meanwhile, which are counted
 * and reported when it reads again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anpu_hdc_svc.h"
#include "vascend_hdc_svc.h"

struct log_state {
    uint64_t cursor;                /* next device log line to send */
    uint64_t dropped;               /* lines lost since the last notice */
};

static uint32_t log_open(struct anpu_hdc *h, struct anpu_hdc_session *s)
{
    struct log_state *st = calloc(1, sizeof(*st));

    if (!st) {
        return VASCEND_HDC_ERR_SERVICE;
    }
    if (h->env.log) {
        st->cursor = anpu_log_first_seq(h->env.log);
    }
    s->priv = st;
    return 0;
}

static void log_close(struct anpu_hdc *h, struct anpu_hdc_session *s)
{
    (void)h;
    free(s->priv);
    s->priv = NULL;
}

/* Queue one line; false when the message could not be had. */
static bool send_line(struct anpu_hdc *h, struct anpu_hdc_session *s,
                      uint64_t ts, uint64_t seq, uint32_t flags,
                      const char *text, uint32_t len)
{
    struct vascend_hdc_log_line hdr;
    struct anpu_hdc_msg *m;

    m = anpu_hdc_msg_new(h, s, sizeof(hdr) + len);
    if (!m) {
        return false;
    }
    memset(&hdr, 0, sizeof(hdr));
    hdr.timestamp_ns = ts;
    hdr.seq = (uint32_t)seq;
    hdr.flags = flags;
    memcpy(m->data, &hdr, sizeof(hdr));
    memcpy(m->data + sizeof(hdr), text, len);
    anpu_hdc_send(h, s, m);
    return true;
}

static bool log_run(struct anpu_hdc *h, struct anpu_hdc_session *s)
{
    const uint64_t room = sizeof(struct vascend_hdc_log_line) +
                          ANPU_LOG_LINE_MAX;
    struct log_state *st = s->priv;
    const struct anpu_log_line *line;
    bool progress = false;
    char text[48];
    uint64_t first;
    int n;

    if (!h->env.log) {
        return false;
    }
    for (;;) {
        first = anpu_log_first_seq(h->env.log);
        if (st->cursor < first) {
            st->dropped += first - st->cursor;
            st->cursor = first;
        }
        if (st->cursor == anpu_log_next_seq(h->env.log) && !st->dropped) {
            break;
        }
        if (!anpu_hdc_spare_credits(s) || !anpu_hdc_out_room(h, s, 1, room)) {
            break;
        }
        if (st->dropped) {
            n = snprintf(text, sizeof(text), "%llu lines dropped",
                         (unsigned long long)st->dropped);
            if (!send_line(h, s, anpu_hdc_now(h), st->cursor - 1,
                           VASCEND_HDC_LOG_F_DROPPED, text, n)) {
                break;
            }
            st->dropped = 0;
        } else {
            line = anpu_log_get(h->env.log, st->cursor);
            if (!send_line(h, s, line->timestamp_ns, st->cursor, 0,
                           line->text, line->len)) {
                break;
            }
            st->cursor++;
        }
        progress = true;
    }
    return progress;
}

const struct anpu_hdc_service anpu_hdc_svc_log = {
    .type = VASCEND_HDC_SVC_LOG,
    .name = "log",
    .host_credits = 0,
    .open = log_open,
    .run = log_run,
    .close = log_close,
};
