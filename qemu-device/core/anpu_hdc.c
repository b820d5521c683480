/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * HDC transport (include/uapi/vascend_hdc_hw.h): ring handling, sessions,
 * reassembly, credits, fragmenting. Every value read from guest memory is
 * checked here before a service sees a message; a mistake costs the guest
 * the session it concerns, never the device.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anpu_hdc.h"
#include "anpu_hdc_svc.h"
#include "vascend_hdc_hw.h"
#include "vascend_queue_hw.h"

#define HDR_SIZE            ((uint32_t)sizeof(struct vascend_hdc_msg_hdr))
/* Rounds of service work and d2h output per process call. */
#define ROUNDS_MAX          8
/* Ring bases are page aligned, the status block cache-line aligned. */
#define RING_ALIGN          4096
#define STATUS_ALIGN        64

_Static_assert(sizeof(struct vascend_hdc_msg_hdr) == 32, "slot header size");
_Static_assert(VASCEND_HDC_MIN_SLOT > sizeof(struct vascend_hdc_msg_hdr),
               "a slot has room for payload");

static const struct anpu_hdc_service *const services[] = {
    &anpu_hdc_svc_echo,
    &anpu_hdc_svc_mgmt,
    &anpu_hdc_svc_log,
    &anpu_hdc_svc_file,
};

static const char *const reasons[] = {
    [VASCEND_HDC_CLOSE_NORMAL] = "normal",
    [VASCEND_HDC_ERR_NO_SERVICE] = "no such service",
    [VASCEND_HDC_ERR_TOO_MANY] = "too many sessions",
    [VASCEND_HDC_ERR_SESSION] = "bad session id",
    [VASCEND_HDC_ERR_PROTOCOL] = "protocol error",
    [VASCEND_HDC_ERR_NO_CREDIT] = "message without credit",
    [VASCEND_HDC_ERR_TOO_BIG] = "message too big",
    [VASCEND_HDC_ERR_SERVICE] = "service failed",
    [VASCEND_HDC_ERR_RESET] = "reset",
};

static const char *reason_name(uint32_t reason)
{
    if (reason < sizeof(reasons) / sizeof(reasons[0]) && reasons[reason]) {
        return reasons[reason];
    }
    return "unknown reason";
}

static void __attribute__((format(printf, 2, 3)))
guest_error(struct anpu_hdc *h, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    if (!h->env.guest_error) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    h->env.guest_error(h->env.opaque, msg);
}

uint64_t anpu_hdc_now(const struct anpu_hdc *h)
{
    return h->env.now_ns ? h->env.now_ns(h->env.opaque) : 0;
}

void anpu_hdc_log(struct anpu_hdc *h, const char *fmt, ...)
{
    va_list ap;

    if (!h->env.log) {
        return;
    }
    va_start(ap, fmt);
    anpu_log_vadd(h->env.log, anpu_hdc_now(h), fmt, ap);
    va_end(ap);
    h->log_pending = true;
}

static const struct anpu_hdc_service *service_of(uint32_t type)
{
    size_t i;

    for (i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
        if (services[i]->type == type) {
            return services[i];
        }
    }
    return NULL;
}

/* ---- Messages and memory accounting ---- */

static bool mem_fits(const struct anpu_hdc *h,
                     const struct anpu_hdc_session *s, uint64_t bytes)
{
    return bytes <= h->mem_max - h->bytes &&
           bytes <= h->mem_max / 2 - s->bytes;
}

struct anpu_hdc_msg *anpu_hdc_msg_new(struct anpu_hdc *h,
                                      struct anpu_hdc_session *s,
                                      uint32_t len)
{
    struct anpu_hdc_msg *m;

    if (len == 0 || len > VASCEND_HDC_MAX_MSG || !mem_fits(h, s, len)) {
        return NULL;
    }
    m = malloc(sizeof(*m) + len);
    if (!m) {
        return NULL;
    }
    m->next = NULL;
    m->len = len;
    m->pos = 0;
    h->bytes += len;
    s->bytes += len;
    if (h->bytes > h->bytes_peak) {
        h->bytes_peak = h->bytes;
    }
    return m;
}

void anpu_hdc_msg_free(struct anpu_hdc *h, struct anpu_hdc_session *s,
                       struct anpu_hdc_msg *m)
{
    if (!m) {
        return;
    }
    h->bytes -= m->len;
    s->bytes -= m->len;
    free(m);
}

static void free_list(struct anpu_hdc *h, struct anpu_hdc_session *s,
                      struct anpu_hdc_msg *m)
{
    struct anpu_hdc_msg *next;

    for (; m; m = next) {
        next = m->next;
        anpu_hdc_msg_free(h, s, m);
    }
}

struct anpu_hdc_msg *anpu_hdc_in_peek(struct anpu_hdc_session *s)
{
    return s->in_head;
}

struct anpu_hdc_msg *anpu_hdc_in_take(struct anpu_hdc *h,
                                      struct anpu_hdc_session *s)
{
    struct anpu_hdc_msg *m = s->in_head;

    (void)h;
    if (!m) {
        return NULL;
    }
    s->in_head = m->next;
    if (!s->in_head) {
        s->in_tail = NULL;
    }
    m->next = NULL;
    m->pos = 0;
    s->in_count--;
    s->credit_return++;
    return m;
}

void anpu_hdc_in_done(struct anpu_hdc *h, struct anpu_hdc_session *s)
{
    anpu_hdc_msg_free(h, s, anpu_hdc_in_take(h, s));
}

bool anpu_hdc_out_room(const struct anpu_hdc *h,
                       const struct anpu_hdc_session *s, unsigned int msgs,
                       uint64_t bytes)
{
    return s->out_count + msgs <= ANPU_HDC_OUT_MAX && mem_fits(h, s, bytes);
}

uint32_t anpu_hdc_spare_credits(const struct anpu_hdc_session *s)
{
    uint32_t queued = s->out_count;

    /* A part-sent message has spent its credit already. */
    if (s->out_head && s->out_head->pos) {
        queued--;
    }
    return s->dev_credits > queued ? s->dev_credits - queued : 0;
}

void anpu_hdc_send(struct anpu_hdc *h, struct anpu_hdc_session *s,
                   struct anpu_hdc_msg *m)
{
    (void)h;
    m->next = NULL;
    m->pos = 0;
    if (s->out_tail) {
        s->out_tail->next = m;
    } else {
        s->out_head = m;
    }
    s->out_tail = m;
    s->out_count++;
}

/* ---- Sessions ---- */

static struct anpu_hdc_session *find_session(struct anpu_hdc *h, uint32_t id)
{
    unsigned int i;

    for (i = 0; i < VASCEND_HDC_MAX_SESSIONS; i++) {
        if (h->sessions[i].id == id) {
            return &h->sessions[i];
        }
    }
    return NULL;
}

/* Free all that @s holds, service state included; keep its id. */
static void drop_state(struct anpu_hdc *h, struct anpu_hdc_session *s)
{
    if (s->svc && s->svc->close) {
        s->svc->close(h, s);
    }
    s->svc = NULL;
    s->priv = NULL;
    anpu_hdc_msg_free(h, s, s->rx);
    s->rx = NULL;
    free_list(h, s, s->in_head);
    s->in_head = s->in_tail = NULL;
    s->in_count = 0;
    free_list(h, s, s->out_head);
    s->out_head = s->out_tail = NULL;
    s->out_count = 0;
    s->host_credits = s->dev_credits = s->credit_return = 0;
}

static void free_session(struct anpu_hdc *h, struct anpu_hdc_session *s)
{
    drop_state(h, s);
    memset(s, 0, sizeof(*s));
}

void anpu_hdc_fail(struct anpu_hdc *h, struct anpu_hdc_session *s,
                   uint32_t reason)
{
    if (s->closing) {
        return;
    }
    anpu_hdc_log(h, "hdc: session %u (%s) closed: %s", s->id,
                 s->svc ? s->svc->name : "?", reason_name(reason));
    drop_state(h, s);
    s->accept_pending = false;
    s->closing = true;
    s->close_reason = reason;
}

/* A host mistake in session @s: report it and close the session. */
static void __attribute__((format(printf, 4, 5)))
session_error(struct anpu_hdc *h, struct anpu_hdc_session *s,
              uint32_t reason, const char *fmt, ...)
{
    char why[192];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    guest_error(h, "HDC session %u: %s; closing it (%s)", s->id, why,
                reason_name(reason));
    anpu_hdc_fail(h, s, reason);
}

static void zombie_add(struct anpu_hdc *h, uint32_t id)
{
    h->zombies[h->zombie_next] = id;
    h->zombie_next = (h->zombie_next + 1) % ANPU_HDC_ZOMBIES;
}

/* Whether @id is a zombie; forget it too when @forget. */
static bool zombie_find(struct anpu_hdc *h, uint32_t id, bool forget)
{
    bool found = false;
    unsigned int i;

    for (i = 0; i < ANPU_HDC_ZOMBIES; i++) {
        if (h->zombies[i] == id) {
            found = true;
            if (forget) {
                h->zombies[i] = 0;
            }
        }
    }
    return found;
}

/* Answer a message for a session that is not open with CLOSE. */
static void refuse(struct anpu_hdc *h, uint32_t id, uint32_t reason)
{
    unsigned int i = (h->refusal_head + h->refusal_count) % ANPU_HDC_REFUSALS;

    anpu_hdc_log(h, "hdc: session %u refused: %s", id, reason_name(reason));
    h->refusals[i].session = id;
    h->refusals[i].reason = reason;
    h->refusal_count++;
}

static void close_all(struct anpu_hdc *h)
{
    unsigned int i;

    for (i = 0; i < VASCEND_HDC_MAX_SESSIONS; i++) {
        if (h->sessions[i].id) {
            free_session(h, &h->sessions[i]);
        }
    }
    h->refusal_head = h->refusal_count = 0;
    memset(h->zombies, 0, sizeof(h->zombies));
    h->zombie_next = 0;
}

unsigned int anpu_hdc_session_count(const struct anpu_hdc *h)
{
    unsigned int i, n = 0;

    for (i = 0; i < VASCEND_HDC_MAX_SESSIONS; i++) {
        n += h->sessions[i].id && !h->sessions[i].closing;
    }
    return n;
}

/* ---- Life cycle ---- */

void anpu_hdc_init(struct anpu_hdc *h, const struct anpu_hdc_env *env)
{
    memset(h, 0, sizeof(*h));
    h->env = *env;
    h->mem_max = env->mem_max ? env->mem_max : ANPU_HDC_MEM_MAX_DEFAULT;
}

void anpu_hdc_fini(struct anpu_hdc *h)
{
    close_all(h);
    h->up = false;
}

void anpu_hdc_set_services(struct anpu_hdc *h, const uint32_t *types,
                           unsigned int n)
{
    unsigned int i;

    h->services = 0;
    for (i = 0; i < n; i++) {
        if (types[i] < 32 && service_of(types[i])) {
            h->services |= 1U << types[i];
        }
    }
}

static bool is_pow2(uint32_t v)
{
    return v && !(v & (v - 1));
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* Publish the status block if anything moved, then interrupt. */
static void publish(struct anpu_hdc *h, bool force)
{
    struct vascend_hdc_status st;

    if (!force && h->h2d_head == h->pub_h2d_head &&
        h->d2h_tail == h->pub_d2h_tail) {
        return;
    }
    memset(&st, 0, sizeof(st));
    st.h2d_head = h->h2d_head;
    st.d2h_tail = h->d2h_tail;
    if (h->env.host_write(h->env.opaque, h->status_addr, &st, sizeof(st))) {
        guest_error(h, "HDC status block at 0x%llx is not writable; HDC "
                    "stops until torn down",
                    (unsigned long long)h->status_addr);
        anpu_hdc_log(h, "hdc: status block unwritable, channel stopped");
        h->broken = true;
        return;
    }
    h->pub_h2d_head = h->h2d_head;
    h->pub_d2h_tail = h->d2h_tail;
    if (!force && h->env.raise_irq) {
        h->env.raise_irq(h->env.opaque, h->vector);
    }
}

uint16_t anpu_hdc_setup(struct anpu_hdc *h, const struct vascend_sqe *sqe)
{
    uint64_t h2d = sqe->u.hdc.h2d_base;
    uint64_t d2h = sqe->u.hdc.d2h_base;
    uint64_t st = sqe->u.hdc.status_addr;
    uint32_t count = sqe->u.hdc.slot_count;
    uint32_t size = sqe->u.hdc.slot_size;
    uint64_t ring;
    const char *why = NULL;

    if (h->up) {
        guest_error(h, "HDC_SETUP while HDC is set up: tear it down first");
        return VASCEND_CQE_STATUS_BUSY;
    }
    ring = (uint64_t)count * size;
    if (sqe->u.hdc.rsvd || sqe->u.hdc.rsvd2 || sqe->u.raw[5] ||
        sqe->u.raw[6]) {
        why = "reserved fields are not zero";
    } else if (!is_pow2(count) || count < 2 ||
               count > VASCEND_HDC_MAX_SLOTS) {
        why = "slot_count is not a power of two in 2..4096";
    } else if (!is_pow2(size) || size < VASCEND_HDC_MIN_SLOT ||
               size > VASCEND_HDC_MAX_SLOT) {
        why = "slot_size is not a power of two in 256..65536";
    } else if ((h2d | d2h) & (RING_ALIGN - 1)) {
        why = "a ring base is not 4 KiB aligned";
    } else if (st & (STATUS_ALIGN - 1)) {
        why = "status_addr is not 64-byte aligned";
    } else if (sqe->u.hdc.vector >= h->env.msix_vectors) {
        why = "vector is not below the MSI-X vector count";
    } else if (h2d > UINT64_MAX - ring || d2h > UINT64_MAX - ring ||
               st > UINT64_MAX - sizeof(struct vascend_hdc_status)) {
        why = "a ring or the status block wraps around the address space";
    } else if (overlap(h2d, ring, d2h, ring) ||
               overlap(h2d, ring, st, sizeof(struct vascend_hdc_status)) ||
               overlap(d2h, ring, st, sizeof(struct vascend_hdc_status))) {
        why = "the rings and the status block overlap";
    }
    if (why) {
        guest_error(h, "HDC_SETUP refused: %s", why);
        return VASCEND_CQE_STATUS_INVALID_FIELD;
    }
    h->h2d_base = h2d;
    h->d2h_base = d2h;
    h->status_addr = st;
    h->slot_count = count;
    h->slot_size = size;
    h->vector = sqe->u.hdc.vector;
    h->h2d_head = h->h2d_tail = 0;
    h->d2h_head = h->d2h_tail = 0;
    h->pub_h2d_head = h->pub_d2h_tail = 0;
    h->broken = false;
    h->up = true;
    publish(h, true);
    if (h->broken) {
        h->up = false;
        h->broken = false;
        return VASCEND_CQE_STATUS_DMA_ERROR;
    }
    return VASCEND_CQE_STATUS_SUCCESS;
}

uint16_t anpu_hdc_teardown(struct anpu_hdc *h)
{
    unsigned int n = anpu_hdc_session_count(h);

    if (h->up && n) {
        anpu_hdc_log(h, "hdc: torn down with %u sessions open", n);
    }
    close_all(h);
    h->up = false;
    h->broken = false;
    h->again = false;
    h->h2d_head = h->h2d_tail = h->d2h_head = h->d2h_tail = 0;
    return VASCEND_CQE_STATUS_SUCCESS;
}

void anpu_hdc_reset(struct anpu_hdc *h)
{
    anpu_hdc_teardown(h);
    h->services = 0;
    h->log_pending = false;
}

/* ---- Doorbells ---- */

void anpu_hdc_db_write(struct anpu_hdc *h, uint32_t off, uint32_t val)
{
    if (off != VASCEND_HDC_DB_H2D_TAIL && off != VASCEND_HDC_DB_D2H_HEAD) {
        guest_error(h, "HDC doorbell: write 0x%x to reserved offset 0x%x",
                    val, off);
        return;
    }
    if (!h->up) {
        guest_error(h, "HDC doorbell 0x%x written while HDC is not set up",
                    off);
        return;
    }
    if (off == VASCEND_HDC_DB_H2D_TAIL) {
        if ((uint32_t)(val - h->h2d_head) > h->slot_count) {
            guest_error(h, "HDC H2D_TAIL %u ignored: %u slots past the "
                        "device's head %u in a ring of %u", val,
                        (uint32_t)(val - h->h2d_head), h->h2d_head,
                        h->slot_count);
            return;
        }
        h->h2d_tail = val;
    } else {
        if ((uint32_t)(val - h->d2h_head) >
            (uint32_t)(h->d2h_tail - h->d2h_head)) {
            guest_error(h, "HDC D2H_HEAD %u ignored: not between the host's "
                        "head %u and the device's tail %u", val, h->d2h_head,
                        h->d2h_tail);
            return;
        }
        h->d2h_head = val;
    }
}

uint32_t anpu_hdc_db_read(struct anpu_hdc *h, uint32_t off)
{
    switch (off) {
    case VASCEND_HDC_DB_H2D_TAIL:
        return h->h2d_tail;
    case VASCEND_HDC_DB_D2H_HEAD:
        return h->d2h_head;
    default:
        return 0;
    }
}

void anpu_hdc_log_notify(struct anpu_hdc *h)
{
    h->log_pending = true;
}

/* ---- Host -> device ---- */

static void h2d_connect(struct anpu_hdc *h,
                        const struct vascend_hdc_msg_hdr *hdr,
                        struct anpu_hdc_session *s)
{
    const struct anpu_hdc_service *svc;
    uint32_t reason;

    if (s) {
        /*
         * The host lost track of its own ids. The CLOSE it gets makes it
         * drop what it has for this id, so the device does too.
         */
        if (!s->closing) {
            session_error(h, s, VASCEND_HDC_ERR_SESSION,
                          "CONNECT for an id that is open");
        }
        return;
    }
    zombie_find(h, hdr->session, true);
    if (hdr->len || hdr->flags || hdr->total_len || hdr->rsvd ||
        hdr->credits > ANPU_HDC_MAX_CREDITS) {
        guest_error(h, "HDC CONNECT for session %u: malformed (len %u flags "
                    "0x%x total_len %u credits %u)", hdr->session, hdr->len,
                    hdr->flags, hdr->total_len, hdr->credits);
        refuse(h, hdr->session, VASCEND_HDC_ERR_PROTOCOL);
        return;
    }
    svc = service_of(hdr->arg);
    if (hdr->arg >= 32 || !(h->services & (1U << hdr->arg)) || !svc) {
        refuse(h, hdr->session, VASCEND_HDC_ERR_NO_SERVICE);
        return;
    }
    s = find_session(h, 0);
    if (!s) {
        refuse(h, hdr->session, VASCEND_HDC_ERR_TOO_MANY);
        return;
    }
    memset(s, 0, sizeof(*s));
    s->id = hdr->session;
    s->svc = svc;
    s->accept_pending = true;
    s->dev_credits = hdr->credits;
    reason = svc->open ? svc->open(h, s) : 0;
    if (reason) {
        /* open() failed and left nothing behind. */
        s->svc = NULL;
        free_session(h, s);
        refuse(h, hdr->session, reason);
    }
}

/* Returns false when guest memory failed. */
static bool h2d_data(struct anpu_hdc *h, const struct vascend_hdc_msg_hdr *hdr,
                     struct anpu_hdc_session *s, uint64_t payload)
{
    const uint32_t max_payload = h->slot_size - HDR_SIZE;
    struct anpu_hdc_msg *m;

    if ((hdr->flags & ~(VASCEND_HDC_F_FIRST | VASCEND_HDC_F_LAST)) ||
        hdr->arg || hdr->credits) {
        session_error(h, s, VASCEND_HDC_ERR_PROTOCOL,
                      "DATA with flags 0x%x arg %u credits %u", hdr->flags,
                      hdr->arg, hdr->credits);
        return true;
    }
    if (hdr->len == 0 || hdr->len > max_payload) {
        session_error(h, s, VASCEND_HDC_ERR_PROTOCOL,
                      "DATA fragment of %u bytes (1..%u)", hdr->len,
                      max_payload);
        return true;
    }
    if (hdr->flags & VASCEND_HDC_F_FIRST) {
        if (s->rx) {
            session_error(h, s, VASCEND_HDC_ERR_PROTOCOL,
                          "FIRST while a message is open (%u of %u bytes)",
                          s->rx->pos, s->rx->len);
            return true;
        }
        if (!s->svc->host_credits) {
            session_error(h, s, VASCEND_HDC_ERR_PROTOCOL,
                          "DATA to the %s service, which takes none",
                          s->svc->name);
            return true;
        }
        if (hdr->total_len == 0) {
            session_error(h, s, VASCEND_HDC_ERR_PROTOCOL,
                          "FIRST with total_len 0");
            return true;
        }
        if (hdr->total_len > VASCEND_HDC_MAX_MSG) {
            session_error(h, s, VASCEND_HDC_ERR_TOO_BIG,
                          "message of %u bytes", hdr->total_len);
            return true;
        }
        if (!s->host_credits) {
            session_error(h, s, VASCEND_HDC_ERR_NO_CREDIT,
                          "message sent without a credit");
            return true;
        }
        if (!mem_fits(h, s, hdr->total_len)) {
            anpu_hdc_log(h, "hdc: session %u: no room for a %u byte message "
                         "(%llu of %llu bytes buffered)", s->id,
                         hdr->total_len, (unsigned long long)h->bytes,
                         (unsigned long long)h->mem_max);
            anpu_hdc_fail(h, s, VASCEND_HDC_ERR_TOO_BIG);
            return true;
        }
        s->rx = anpu_hdc_msg_new(h, s, hdr->total_len);
        if (!s->rx) {
            anpu_hdc_log(h, "hdc: session %u: out of memory", s->id);
            anpu_hdc_fail(h, s, VASCEND_HDC_ERR_SERVICE);
            return true;
        }
        s->host_credits--;
    } else if (hdr->total_len) {
        session_error(h, s, VASCEND_HDC_ERR_PROTOCOL,
                      "total_len %u on a fragment that is not FIRST",
                      hdr->total_len);
        return true;
    } else if (!s->rx) {
        session_error(h, s, VASCEND_HDC_ERR_PROTOCOL,
                      "fragment without a FIRST");
        return true;
    }
    m = s->rx;
    if (hdr->len > m->len - m->pos) {
        session_error(h, s, VASCEND_HDC_ERR_PROTOCOL,
                      "fragment of %u bytes overruns the message (%u of %u)",
                      hdr->len, m->pos, m->len);
        return true;
    }
    if (h->env.host_read(h->env.opaque, payload, m->data + m->pos,
                         hdr->len)) {
        return false;
    }
    m->pos += hdr->len;
    if (hdr->flags & VASCEND_HDC_F_LAST) {
        if (m->pos != m->len) {
            session_error(h, s, VASCEND_HDC_ERR_PROTOCOL,
                          "LAST after %u of %u bytes", m->pos, m->len);
            return true;
        }
        s->rx = NULL;
        m->pos = 0;
        if (s->in_tail) {
            s->in_tail->next = m;
        } else {
            s->in_head = m;
        }
        s->in_tail = m;
        s->in_count++;
    } else if (m->pos == m->len) {
        session_error(h, s, VASCEND_HDC_ERR_PROTOCOL,
                      "message complete (%u bytes) without LAST", m->len);
    }
    return true;
}

/* One h2d slot at the head. Returns false when guest memory failed. */
static bool h2d_slot(struct anpu_hdc *h)
{
    uint64_t addr = h->h2d_base +
        (uint64_t)(h->h2d_head & (h->slot_count - 1)) * h->slot_size;
    struct vascend_hdc_msg_hdr hdr;
    struct anpu_hdc_session *s;

    if (h->env.host_read(h->env.opaque, addr, &hdr, sizeof(hdr))) {
        return false;
    }
    if (hdr.session == 0) {
        guest_error(h, "HDC h2d slot %u: session 0 (type %u) ignored",
                    h->h2d_head, hdr.type);
        return true;
    }
    s = find_session(h, hdr.session);
    if (hdr.type == VASCEND_HDC_MSG_CONNECT) {
        h2d_connect(h, &hdr, s);
        return true;
    }
    if (!s) {
        /*
         * A CLOSE may cross the device's own: nothing to answer. Nor to
         * the rest of what the host sent before it saw the device's CLOSE.
         */
        if (hdr.type != VASCEND_HDC_MSG_CLOSE &&
            !zombie_find(h, hdr.session, false)) {
            guest_error(h, "HDC message type %u for session %u, which is "
                        "not open", hdr.type, hdr.session);
            refuse(h, hdr.session, VASCEND_HDC_ERR_SESSION);
        }
        return true;
    }
    if (s->closing) {
        /* Sent before the host saw the device's CLOSE. */
        return true;
    }
    switch (hdr.type) {
    case VASCEND_HDC_MSG_CLOSE:
        /* The host is done with it whatever else the slot says. */
        free_session(h, s);
        return true;
    case VASCEND_HDC_MSG_DATA:
        if (hdr.rsvd) {
            session_error(h, s, VASCEND_HDC_ERR_PROTOCOL, "rsvd not zero");
            return true;
        }
        return h2d_data(h, &hdr, s, addr + HDR_SIZE);
    case VASCEND_HDC_MSG_CREDIT:
        if (hdr.len || hdr.flags || hdr.total_len || hdr.arg || hdr.rsvd ||
            !hdr.credits) {
            session_error(h, s, VASCEND_HDC_ERR_PROTOCOL,
                          "malformed CREDIT (len %u flags 0x%x credits %u)",
                          hdr.len, hdr.flags, hdr.credits);
        } else if (hdr.credits > ANPU_HDC_MAX_CREDITS - s->dev_credits) {
            session_error(h, s, VASCEND_HDC_ERR_PROTOCOL,
                          "credits %u + %u above %u", s->dev_credits,
                          hdr.credits, ANPU_HDC_MAX_CREDITS);
        } else {
            s->dev_credits += hdr.credits;
        }
        return true;
    default:
        session_error(h, s, VASCEND_HDC_ERR_PROTOCOL,
                      "message type %u from the host", hdr.type);
        return true;
    }
}

/* ---- Device -> host ---- */

static bool d2h_room(const struct anpu_hdc *h)
{
    return (uint32_t)(h->d2h_tail - h->d2h_head) < h->slot_count;
}

/* Write one slot. Returns false when guest memory failed. */
static bool d2h_put(struct anpu_hdc *h, const struct vascend_hdc_msg_hdr *hdr,
                    const void *payload)
{
    uint64_t addr = h->d2h_base +
        (uint64_t)(h->d2h_tail & (h->slot_count - 1)) * h->slot_size;

    if (hdr->len && h->env.host_write(h->env.opaque, addr + HDR_SIZE,
                                      payload, hdr->len)) {
        return false;
    }
    if (h->env.host_write(h->env.opaque, addr, hdr, sizeof(*hdr))) {
        return false;
    }
    h->d2h_tail++;
    return true;
}

static bool sendable(const struct anpu_hdc_session *s)
{
    return s->accept_pending || s->closing || s->credit_return ||
           (s->out_head && (s->out_head->pos || s->dev_credits));
}

/*
 * Produce one d2h slot: refusals first, then one slot of the next session
 * round-robin, so a big message cannot starve the others. Returns 1 when a
 * slot was written, 0 when nothing is sendable, -1 when guest memory failed.
 */
static int d2h_one(struct anpu_hdc *h)
{
    struct vascend_hdc_msg_hdr hdr;
    struct anpu_hdc_session *s = NULL;
    struct anpu_hdc_msg *m;
    const void *payload = NULL;
    unsigned int i, idx = 0;

    memset(&hdr, 0, sizeof(hdr));
    if (h->refusal_count) {
        hdr.session = h->refusals[h->refusal_head].session;
        hdr.type = VASCEND_HDC_MSG_CLOSE;
        hdr.arg = h->refusals[h->refusal_head].reason;
        if (!d2h_put(h, &hdr, NULL)) {
            return -1;
        }
        zombie_add(h, hdr.session);
        h->refusal_head = (h->refusal_head + 1) % ANPU_HDC_REFUSALS;
        h->refusal_count--;
        return 1;
    }
    for (i = 0; i < VASCEND_HDC_MAX_SESSIONS; i++) {
        idx = (h->rr + i) % VASCEND_HDC_MAX_SESSIONS;
        if (h->sessions[idx].id && sendable(&h->sessions[idx])) {
            s = &h->sessions[idx];
            break;
        }
    }
    if (!s) {
        return 0;
    }
    h->rr = (idx + 1) % VASCEND_HDC_MAX_SESSIONS;
    hdr.session = s->id;
    if (s->accept_pending) {
        hdr.type = VASCEND_HDC_MSG_ACCEPT;
        hdr.credits = s->svc->host_credits;
    } else if (s->closing) {
        hdr.type = VASCEND_HDC_MSG_CLOSE;
        hdr.arg = s->close_reason;
    } else if (s->credit_return) {
        hdr.type = VASCEND_HDC_MSG_CREDIT;
        hdr.credits = s->credit_return;
    } else {
        m = s->out_head;
        hdr.type = VASCEND_HDC_MSG_DATA;
        hdr.len = m->len - m->pos;
        if (hdr.len > h->slot_size - HDR_SIZE) {
            hdr.len = h->slot_size - HDR_SIZE;
        }
        if (m->pos == 0) {
            hdr.flags |= VASCEND_HDC_F_FIRST;
            hdr.total_len = m->len;
        }
        if (m->pos + hdr.len == m->len) {
            hdr.flags |= VASCEND_HDC_F_LAST;
        }
        payload = m->data + m->pos;
    }
    if (!d2h_put(h, &hdr, payload)) {
        return -1;
    }
    /* Account only for what reached the ring. */
    switch (hdr.type) {
    case VASCEND_HDC_MSG_ACCEPT:
        s->accept_pending = false;
        s->host_credits = hdr.credits;
        break;
    case VASCEND_HDC_MSG_CLOSE:
        zombie_add(h, s->id);
        free_session(h, s);
        break;
    case VASCEND_HDC_MSG_CREDIT:
        s->host_credits += s->credit_return;
        s->credit_return = 0;
        break;
    default:
        m = s->out_head;
        if (m->pos == 0) {
            s->dev_credits--;
        }
        m->pos += hdr.len;
        if (m->pos == m->len) {
            s->out_head = m->next;
            if (!s->out_head) {
                s->out_tail = NULL;
            }
            s->out_count--;
            anpu_hdc_msg_free(h, s, m);
        }
        break;
    }
    return 1;
}

static bool run_services(struct anpu_hdc *h)
{
    struct anpu_hdc_session *s;
    bool progress = false;
    unsigned int i;

    for (i = 0; i < VASCEND_HDC_MAX_SESSIONS; i++) {
        s = &h->sessions[(h->rr + i) % VASCEND_HDC_MAX_SESSIONS];
        if (s->id && !s->closing && s->svc->run) {
            progress |= s->svc->run(h, s);
        }
    }
    return progress;
}

static void broken(struct anpu_hdc *h, const char *ring, uint32_t index)
{
    guest_error(h, "HDC %s slot %u is not accessible; HDC stops until torn "
                "down", ring, index);
    anpu_hdc_log(h, "hdc: %s ring unreachable, channel stopped", ring);
    h->broken = true;
}

bool anpu_hdc_process(struct anpu_hdc *h)
{
    unsigned int in = 0, out = 0, round;
    bool progress = false, more;
    int r;

    h->log_pending = false;
    h->again = false;
    if (!h->up || h->broken) {
        return false;
    }
    h->io_budget = ANPU_HDC_IO_BUDGET;
    for (round = 0; round < ROUNDS_MAX; round++) {
        progress = false;
        /* Each slot may need a refusal: stop while none can be queued. */
        while (h->h2d_head != h->h2d_tail && in < ANPU_HDC_BATCH_SLOTS &&
               h->refusal_count < ANPU_HDC_REFUSALS) {
            if (!h2d_slot(h)) {
                broken(h, "h2d", h->h2d_head);
                return false;
            }
            h->h2d_head++;
            in++;
            progress = true;
        }
        progress |= run_services(h);
        while (out < ANPU_HDC_BATCH_SLOTS && d2h_room(h)) {
            r = d2h_one(h);
            if (r < 0) {
                broken(h, "d2h", h->d2h_tail);
                return false;
            }
            if (!r) {
                break;
            }
            out++;
            progress = true;
        }
        if (!progress) {
            break;
        }
    }
    publish(h, false);
    if (h->broken) {
        return false;
    }
    more = progress || h->io_budget == 0 ||
           (in == ANPU_HDC_BATCH_SLOTS && h->h2d_head != h->h2d_tail) ||
           out == ANPU_HDC_BATCH_SLOTS;
    h->again = more;
    return more;
}

bool anpu_hdc_work_pending(const struct anpu_hdc *h)
{
    unsigned int i;

    if (!h->up || h->broken) {
        return false;
    }
    if (h->h2d_head != h->h2d_tail || h->log_pending || h->again) {
        return true;
    }
    if (!d2h_room(h)) {
        return false;
    }
    if (h->refusal_count) {
        return true;
    }
    for (i = 0; i < VASCEND_HDC_MAX_SESSIONS; i++) {
        if (h->sessions[i].id && sendable(&h->sessions[i])) {
            return true;
        }
    }
    return false;
}
