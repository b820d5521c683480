/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake host for the HDC transport (qemu-device/core/anpu_hdc*.c): guest
 * memory as an array holding the two rings and the status block, a driver
 * side that produces h2d slots, rings the doorbell, runs anpu_hdc_process()
 * until idle and consumes d2h slots, reassembling what the device sends per
 * session and checking the device's side of the protocol as it goes (every
 * violation is counted in host.violations). Each test program includes it
 * once.
 */
#ifndef VASCEND_TEST_HDC_HOST_H
#define VASCEND_TEST_HDC_HOST_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anpu_hdc.h"
#include "anpu_log.h"
#include "tap.h"
#include "vascend_hdc_hw.h"
#include "vascend_hdc_svc.h"
#include "vascend_queue_hw.h"

#define G_BASE          0x10000000ULL
#define G_SIZE          (4U << 20)
#define G_H2D           G_BASE
#define G_D2H           (G_BASE + 0x100000)
#define G_STATUS        (G_BASE + 0x200000)
#define HOST_VECTORS    8
#define HOST_VECTOR     3
#define HOST_SESSIONS   256
#define HOST_MSGS       512
#define HDR             32U

struct hmsg {
    uint8_t *data;
    uint32_t len;
};

/* What the fake driver knows of one session. */
struct hsess {
    uint32_t id;
    bool accepted;
    bool closed;
    uint32_t close_reason;
    unsigned int accepts, closes, credit_msgs;
    uint32_t send_credits;          /* the device granted us */
    uint32_t granted;               /* we granted the device, unused */
    bool manual_credit;             /* don't grant back as we read */
    bool host_closed;               /* we sent CLOSE: late DATA is fine */
    bool untracked;                 /* raw traffic: check headers only */
    uint32_t credit_owed;           /* to grant at the next pump */
    uint8_t *rx;                    /* reassembly */
    uint32_t rx_len, rx_total;
    struct hmsg msgs[HOST_MSGS];    /* received whole messages */
    unsigned int nmsgs;
    unsigned int msgs_total;
};

struct host {
    struct anpu_hdc hdc;
    struct anpu_hdc_env env;
    struct anpu_log log;
    uint8_t *mem;
    uint32_t slot_count, slot_size;
    uint32_t h2d_tail;              /* the driver's */
    uint32_t d2h_head;
    unsigned int irqs[HOST_VECTORS];
    unsigned int errors;
    char last_error[256];
    bool quiet;
    bool fail_read, fail_write;
    unsigned int stray;             /* device accesses outside rings/status */
    unsigned int violations;        /* device protocol mistakes */
    char last_violation[160];
    uint64_t now;
    struct vascend_identify id;
    struct vascend_telemetry tm;
    struct hsess s[HOST_SESSIONS];
};

static inline bool in_range(uint64_t a, uint64_t len, uint64_t base,
                            uint64_t size)
{
    return a >= base && len <= size && a - base <= size - len;
}

static inline int host_access(struct host *h, uint64_t addr, uint64_t len,
                              bool write)
{
    uint64_t ring = (uint64_t)h->slot_count * h->slot_size;

    if (!in_range(addr, len, G_BASE, G_SIZE)) {
        h->stray++;
        return -1;
    }
    if (!(write ? in_range(addr, len, G_D2H, ring) ||
                  in_range(addr, len, G_STATUS, 64) :
                  in_range(addr, len, G_H2D, ring))) {
        h->stray++;
    }
    return 0;
}

static inline int host_read_cb(void *opaque, uint64_t addr, void *buf,
                               uint64_t len)
{
    struct host *h = opaque;

    if (h->fail_read || host_access(h, addr, len, false)) {
        return -1;
    }
    memcpy(buf, h->mem + (addr - G_BASE), len);
    return 0;
}

static inline int host_write_cb(void *opaque, uint64_t addr, const void *buf,
                                uint64_t len)
{
    struct host *h = opaque;

    if (h->fail_write || host_access(h, addr, len, true)) {
        return -1;
    }
    memcpy(h->mem + (addr - G_BASE), buf, len);
    return 0;
}

static inline void host_irq_cb(void *opaque, unsigned int vector)
{
    struct host *h = opaque;

    if (vector >= HOST_VECTORS) {
        printf("Bail out! vector %u out of range\n", vector);
        exit(1);
    }
    h->irqs[vector]++;
}

static inline uint64_t host_now_cb(void *opaque)
{
    return ((struct host *)opaque)->now;
}

static inline void host_identify_cb(void *opaque, struct vascend_identify *o)
{
    *o = ((struct host *)opaque)->id;
}

static inline void host_telemetry_cb(void *opaque, struct vascend_telemetry *o)
{
    *o = ((struct host *)opaque)->tm;
}

static inline void host_error_cb(void *opaque, const char *msg)
{
    struct host *h = opaque;

    h->errors++;
    snprintf(h->last_error, sizeof(h->last_error), "%s", msg);
    if (!h->quiet) {
        printf("# guest error: %s\n", msg);
    }
}

static inline void violation(struct host *h, const char *fmt, ...)
{
    va_list ap;

    h->violations++;
    va_start(ap, fmt);
    vsnprintf(h->last_violation, sizeof(h->last_violation), fmt, ap);
    va_end(ap);
    printf("# device violation: %s\n", h->last_violation);
}

static inline void sqe_hdc(struct vascend_sqe *q, uint32_t count,
                           uint32_t size)
{
    memset(q, 0, sizeof(*q));
    q->opcode = VASCEND_ADMIN_HDC_SETUP;
    q->u.hdc.h2d_base = G_H2D;
    q->u.hdc.d2h_base = G_D2H;
    q->u.hdc.status_addr = G_STATUS;
    q->u.hdc.slot_count = count;
    q->u.hdc.slot_size = size;
    q->u.hdc.vector = HOST_VECTOR;
}

/* A host with every service offered; HDC set up unless @count is 0. */
static inline struct host *host_new_env(uint32_t count, uint32_t size,
                                        const char *dir, uint64_t mem_max)
{
    static const uint32_t all[] = {
        VASCEND_HDC_SVC_ECHO, VASCEND_HDC_SVC_MGMT, VASCEND_HDC_SVC_LOG,
        VASCEND_HDC_SVC_FILE,
    };
    struct host *h = calloc(1, sizeof(*h));
    struct vascend_sqe q;

    if (!h || !(h->mem = calloc(1, G_SIZE))) {
        abort();
    }
    anpu_log_init(&h->log);
    h->env.opaque = h;
    h->env.host_read = host_read_cb;
    h->env.host_write = host_write_cb;
    h->env.raise_irq = host_irq_cb;
    h->env.now_ns = host_now_cb;
    h->env.identify = host_identify_cb;
    h->env.telemetry = host_telemetry_cb;
    h->env.guest_error = host_error_cb;
    h->env.log = &h->log;
    h->env.file_dir = dir;
    h->env.file_max = 1 << 20;
    h->env.msix_vectors = HOST_VECTORS;
    h->env.mem_max = mem_max;
    anpu_hdc_init(&h->hdc, &h->env);
    anpu_hdc_set_services(&h->hdc, all, 4);
    h->slot_count = count ? count : 64;
    h->slot_size = size ? size : 4096;
    if (count) {
        sqe_hdc(&q, count, size);
        if (anpu_hdc_setup(&h->hdc, &q) != VASCEND_CQE_STATUS_SUCCESS) {
            printf("Bail out! HDC_SETUP %u x %u failed\n", count, size);
            exit(1);
        }
    }
    return h;
}

static inline struct host *host_new(uint32_t count, uint32_t size)
{
    return host_new_env(count, size, NULL, 0);
}

static inline void hsess_clear(struct hsess *s)
{
    unsigned int i;

    free(s->rx);
    for (i = 0; i < s->nmsgs; i++) {
        free(s->msgs[i].data);
    }
    memset(s, 0, sizeof(*s));
}

static inline void host_free(struct host *h)
{
    unsigned int i;

    anpu_hdc_fini(&h->hdc);
    for (i = 0; i < HOST_SESSIONS; i++) {
        hsess_clear(&h->s[i]);
    }
    free(h->mem);
    free(h);
}

/* The driver's record of session @id (ids are below HOST_SESSIONS). */
static inline struct hsess *S(struct host *h, uint32_t id)
{
    if (id >= HOST_SESSIONS) {
        printf("Bail out! test session id %u too big\n", id);
        exit(1);
    }
    return &h->s[id];
}

static inline struct vascend_hdc_status host_status(struct host *h)
{
    struct vascend_hdc_status st;

    memcpy(&st, h->mem + (G_STATUS - G_BASE), sizeof(st));
    return st;
}

static inline uint8_t *slot_ptr(struct host *h, uint64_t base, uint32_t idx)
{
    return h->mem + (base - G_BASE) +
           (uint64_t)(idx % h->slot_count) * h->slot_size;
}

static inline void pump(struct host *h);

/* Put one raw slot in the h2d ring, pumping while it is full. */
static inline void h2d_raw(struct host *h,
                           const struct vascend_hdc_msg_hdr *hdr,
                           const void *payload, uint32_t len)
{
    unsigned int tries = 0;
    uint8_t *p;

    while (h->h2d_tail - host_status(h).h2d_head >= h->slot_count) {
        pump(h);
        if (++tries > 1000) {
            printf("Bail out! h2d ring stays full\n");
            exit(1);
        }
    }
    p = slot_ptr(h, G_H2D, h->h2d_tail);
    memcpy(p, hdr, sizeof(*hdr));
    if (len) {
        memcpy(p + HDR, payload, len);
    }
    h->h2d_tail++;
}

static inline void h2d_ctl(struct host *h, uint32_t id, uint16_t type,
                           uint32_t arg, uint32_t credits)
{
    struct vascend_hdc_msg_hdr hdr;

    memset(&hdr, 0, sizeof(hdr));
    hdr.session = id;
    hdr.type = type;
    hdr.arg = arg;
    hdr.credits = credits;
    h2d_raw(h, &hdr, NULL, 0);
}

static inline void ring(struct host *h)
{
    anpu_hdc_db_write(&h->hdc, VASCEND_HDC_DB_H2D_TAIL, h->h2d_tail);
}

static inline void take_slot(struct host *h, const uint8_t *p)
{
    struct vascend_hdc_msg_hdr hdr;
    struct hsess *s;
    uint32_t max = h->slot_size - HDR;

    memcpy(&hdr, p, sizeof(hdr));
    if (hdr.session >= HOST_SESSIONS) {
        return;                     /* an id the test does not track */
    }
    if (hdr.session == 0 || hdr.session >= HOST_SESSIONS) {
        violation(h, "d2h slot for session %u", hdr.session);
        return;
    }
    s = S(h, hdr.session);
    if (hdr.rsvd) {
        violation(h, "d2h rsvd set");
    }
    if (s->untracked) {
        /* Its credits are not ours to count: the header must be sane. */
        if (hdr.type < VASCEND_HDC_MSG_ACCEPT ||
            hdr.type > VASCEND_HDC_MSG_CLOSE || hdr.len > max ||
            (hdr.type != VASCEND_HDC_MSG_DATA && (hdr.len || hdr.flags)) ||
            (hdr.flags & ~3U) ||
            (hdr.total_len && !(hdr.flags & VASCEND_HDC_F_FIRST))) {
            violation(h, "bad d2h header for untracked %u", hdr.session);
        }
        return;
    }
    switch (hdr.type) {
    case VASCEND_HDC_MSG_ACCEPT:
        /* A CLOSE may come first: the answer to DATA sent before CONNECT. */
        if (s->accepted || hdr.len || hdr.flags || hdr.arg) {
            violation(h, "bad ACCEPT for %u (accepted %d closed %d len %u "
                      "flags %u arg %u)", hdr.session, s->accepted,
                      s->closed, hdr.len, hdr.flags, hdr.arg);
        }
        s->accepted = true;
        s->closed = false;
        s->accepts++;
        s->send_credits += hdr.credits;
        break;
    case VASCEND_HDC_MSG_CLOSE:
        if (hdr.len || hdr.flags || hdr.credits || hdr.total_len) {
            violation(h, "bad CLOSE for %u", hdr.session);
        }
        s->closes++;
        s->closed = true;
        s->accepted = false;
        s->close_reason = hdr.arg;
        free(s->rx);
        s->rx = NULL;
        break;
    case VASCEND_HDC_MSG_CREDIT:
        if (!s->accepted || !hdr.credits || hdr.len || hdr.flags) {
            violation(h, "bad CREDIT for %u", hdr.session);
        }
        s->credit_msgs++;
        s->send_credits += hdr.credits;
        break;
    case VASCEND_HDC_MSG_DATA:
        if (!s->accepted && s->host_closed) {
            break;                  /* sent before the device saw our CLOSE */
        }
        if (!s->accepted || hdr.len == 0 || hdr.len > max || hdr.arg ||
            hdr.credits) {
            violation(h, "bad DATA header for %u (len %u)", hdr.session,
                      hdr.len);
            return;
        }
        if (hdr.flags & VASCEND_HDC_F_FIRST) {
            if (s->rx || !hdr.total_len ||
                hdr.total_len > VASCEND_HDC_MAX_MSG) {
                violation(h, "bad FIRST for %u", hdr.session);
                return;
            }
            if (!s->granted) {
                violation(h, "DATA for %u without a credit", hdr.session);
            } else {
                s->granted--;
            }
            s->rx = malloc(hdr.total_len);
            s->rx_total = hdr.total_len;
            s->rx_len = 0;
        } else if (!s->rx || hdr.total_len) {
            violation(h, "fragment without FIRST for %u", hdr.session);
            return;
        }
        if (hdr.len > s->rx_total - s->rx_len) {
            violation(h, "fragment overruns for %u", hdr.session);
            return;
        }
        memcpy(s->rx + s->rx_len, p + HDR, hdr.len);
        s->rx_len += hdr.len;
        if (!(hdr.flags & VASCEND_HDC_F_LAST) != (s->rx_len != s->rx_total)) {
            violation(h, "LAST flag wrong for %u", hdr.session);
        }
        if (s->rx_len == s->rx_total) {
            if (s->nmsgs == HOST_MSGS) {
                free(s->msgs[0].data);
                memmove(s->msgs, s->msgs + 1,
                        (HOST_MSGS - 1) * sizeof(s->msgs[0]));
                s->nmsgs--;
            }
            s->msgs[s->nmsgs].data = s->rx;
            s->msgs[s->nmsgs].len = s->rx_total;
            s->nmsgs++;
            s->msgs_total++;
            s->rx = NULL;
            if (!s->manual_credit) {
                s->credit_owed++;
            }
        }
        break;
    default:
        violation(h, "d2h type %u", hdr.type);
    }
}

/* Consume every d2h slot the device published; returns how many. */
static inline unsigned int drain(struct host *h)
{
    uint32_t tail = host_status(h).d2h_tail;
    unsigned int n = 0;

    if (tail - h->d2h_head > h->slot_count) {
        violation(h, "d2h tail %u too far past head %u", tail, h->d2h_head);
        return 0;
    }
    while (h->d2h_head != tail) {
        take_slot(h, slot_ptr(h, G_D2H, h->d2h_head));
        h->d2h_head++;
        n++;
    }
    if (n) {
        anpu_hdc_db_write(&h->hdc, VASCEND_HDC_DB_D2H_HEAD, h->d2h_head);
    }
    return n;
}

/* Grant the device the credits our reader owes, one CREDIT per session. */
static inline bool pay_credits(struct host *h)
{
    struct vascend_hdc_msg_hdr hdr;
    bool sent = false;
    unsigned int i;

    for (i = 1; i < HOST_SESSIONS; i++) {
        struct hsess *s = &h->s[i];

        if (!s->credit_owed || !s->accepted ||
            h->h2d_tail - host_status(h).h2d_head >= h->slot_count) {
            continue;
        }
        memset(&hdr, 0, sizeof(hdr));
        hdr.session = i;
        hdr.type = VASCEND_HDC_MSG_CREDIT;
        hdr.credits = s->credit_owed;
        memcpy(slot_ptr(h, G_H2D, h->h2d_tail), &hdr, sizeof(hdr));
        h->h2d_tail++;
        s->granted += s->credit_owed;
        s->credit_owed = 0;
        sent = true;
    }
    return sent;
}

/*
 * Ring the doorbell and run the device until it has nothing left to do,
 * draining d2h and paying credits as a driver would. anpu_hdc_process() is
 * called only while anpu_hdc_work_pending() says so, as the device's bottom
 * half does: a wakeup it misses leaves a test's data missing.
 */
static inline void pump(struct host *h)
{
    unsigned int i;
    bool more;

    for (i = 0; i < 200000; i++) {
        ring(h);
        /* As the device does: only when there is work. */
        more = anpu_hdc_work_pending(&h->hdc) && anpu_hdc_process(&h->hdc);
        more |= drain(h) > 0;
        more |= pay_credits(h);
        if (!more && !anpu_hdc_work_pending(&h->hdc)) {
            return;
        }
    }
    printf("Bail out! HDC never went idle\n");
    exit(1);
}

/* Send one message as DATA fragments (the credit is the caller's worry). */
static inline void host_send(struct host *h, uint32_t id, const void *data,
                             uint32_t len)
{
    struct vascend_hdc_msg_hdr hdr;
    uint32_t max = h->slot_size - HDR, off = 0, n;
    struct hsess *s = S(h, id);

    if (s->send_credits) {
        s->send_credits--;
    }
    do {
        n = len - off < max ? len - off : max;
        memset(&hdr, 0, sizeof(hdr));
        hdr.session = id;
        hdr.type = VASCEND_HDC_MSG_DATA;
        hdr.len = n;
        if (off == 0) {
            hdr.flags |= VASCEND_HDC_F_FIRST;
            hdr.total_len = len;
        }
        if (off + n == len) {
            hdr.flags |= VASCEND_HDC_F_LAST;
        }
        h2d_raw(h, &hdr, (const uint8_t *)data + off, n);
        off += n;
    } while (off < len);
}

/*
 * CONNECT @id to @svc granting @credits, run; returns whether accepted.
 * With @manual the reader grants no credit back by itself.
 */
static inline bool host_connect_ex(struct host *h, uint32_t id, uint32_t svc,
                                   uint32_t credits, bool manual)
{
    struct hsess *s = S(h, id);

    hsess_clear(s);
    s->id = id;
    s->granted = credits;
    s->manual_credit = manual;
    h2d_ctl(h, id, VASCEND_HDC_MSG_CONNECT, svc, credits);
    pump(h);
    return s->accepted;
}

static inline bool host_connect(struct host *h, uint32_t id, uint32_t svc,
                                uint32_t credits)
{
    return host_connect_ex(h, id, svc, credits, false);
}

static inline bool host_connect_manual(struct host *h, uint32_t id,
                                       uint32_t svc, uint32_t credits)
{
    return host_connect_ex(h, id, svc, credits, true);
}

static inline void host_close(struct host *h, uint32_t id)
{
    h2d_ctl(h, id, VASCEND_HDC_MSG_CLOSE, VASCEND_HDC_CLOSE_NORMAL, 0);
    S(h, id)->accepted = false;
    S(h, id)->host_closed = true;
    pump(h);
}

/* Take the oldest received message of @id (caller frees), or NULL. */
static inline uint8_t *host_recv(struct host *h, uint32_t id, uint32_t *len)
{
    struct hsess *s = S(h, id);
    uint8_t *p;

    if (!s->nmsgs) {
        *len = 0;
        return NULL;
    }
    p = s->msgs[0].data;
    *len = s->msgs[0].len;
    memmove(s->msgs, s->msgs + 1, (s->nmsgs - 1) * sizeof(s->msgs[0]));
    s->nmsgs--;
    return p;
}

/* Fill @buf with a pattern that differs per @seed. */
static inline void pattern(uint8_t *buf, uint32_t len, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1, i;

    for (i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = x >> 16;
    }
}

#endif /* VASCEND_TEST_HDC_HOST_H */
