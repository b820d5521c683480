/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What an HDC service sees of the transport. A service consumes the whole
 * messages the host sent (anpu_hdc_in_*), queues whole messages for the host
 * (anpu_hdc_send) and may end its session (anpu_hdc_fail). It must never
 * block, must check anpu_hdc_out_room() before it builds an answer, and
 * should leave a request in its input queue while it cannot answer it: the
 * host's credit for it comes back only once it is consumed, which is what
 * slows a host that does not read its answers.
 */
#ifndef ANPU_HDC_SVC_H
#define ANPU_HDC_SVC_H

#include <stdbool.h>
#include <stdint.h>

#include "anpu_hdc.h"

struct anpu_hdc_service {
    uint32_t type;                  /* VASCEND_HDC_SVC_* */
    const char *name;
    /* Credits ACCEPT grants the host (0: the host never sends DATA). */
    uint32_t host_credits;
    /*
     * A CONNECT was accepted: set up s->priv. Returns 0, or the CLOSE
     * reason that refuses the session.
     */
    uint32_t (*open)(struct anpu_hdc *h, struct anpu_hdc_session *s);
    /* Do what can be done now; returns whether anything was done. */
    bool (*run)(struct anpu_hdc *h, struct anpu_hdc_session *s);
    /* The session is over (any way): release s->priv. Sends nothing. */
    void (*close)(struct anpu_hdc *h, struct anpu_hdc_session *s);
};

extern const struct anpu_hdc_service anpu_hdc_svc_echo;
extern const struct anpu_hdc_service anpu_hdc_svc_mgmt;
extern const struct anpu_hdc_service anpu_hdc_svc_log;
extern const struct anpu_hdc_service anpu_hdc_svc_file;

/* The oldest whole message from the host, or NULL. */
struct anpu_hdc_msg *anpu_hdc_in_peek(struct anpu_hdc_session *s);
/* Drop the oldest message: consumed, its credit goes back to the host. */
void anpu_hdc_in_done(struct anpu_hdc *h, struct anpu_hdc_session *s);
/*
 * Detach the oldest message (consumed, credit returned) and hand it to the
 * caller, still counted against the session: pass it to anpu_hdc_send or
 * anpu_hdc_msg_free.
 */
struct anpu_hdc_msg *anpu_hdc_in_take(struct anpu_hdc *h,
                                      struct anpu_hdc_session *s);

/* Whether @msgs more messages of @bytes in all may be queued for the host. */
bool anpu_hdc_out_room(const struct anpu_hdc *h,
                       const struct anpu_hdc_session *s, unsigned int msgs,
                       uint64_t bytes);
/* Credits the host granted that no queued message will use. */
uint32_t anpu_hdc_spare_credits(const struct anpu_hdc_session *s);

/*
 * A message of @len bytes (1..VASCEND_HDC_MAX_MSG) counted against @s, or
 * NULL when the memory limits or the allocator refuse.
 */
struct anpu_hdc_msg *anpu_hdc_msg_new(struct anpu_hdc *h,
                                      struct anpu_hdc_session *s,
                                      uint32_t len);
void anpu_hdc_msg_free(struct anpu_hdc *h, struct anpu_hdc_session *s,
                       struct anpu_hdc_msg *m);
/* Queue @m (whole, m->pos ignored) for the host. */
void anpu_hdc_send(struct anpu_hdc *h, struct anpu_hdc_session *s,
                   struct anpu_hdc_msg *m);

/*
 * End @s with a CLOSE carrying @reason (VASCEND_HDC_ERR_*). This calls the
 * service's close() at once: a service calling it from run() must return
 * without touching s->priv again.
 */
void anpu_hdc_fail(struct anpu_hdc *h, struct anpu_hdc_session *s,
                   uint32_t reason);

uint64_t anpu_hdc_now(const struct anpu_hdc *h);
/* A device log line (also streamed by the log service). */
void anpu_hdc_log(struct anpu_hdc *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* ANPU_HDC_SVC_H */
