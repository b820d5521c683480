/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * HDC management service (vascend_hdc_svc.h): IDENTIFY and TELEMETRY, the
 * answers of the admin commands of the same names, for host tools that talk
 * HDC rather than the driver's admin queue.
 */
#include <string.h>

#include "anpu_hdc_svc.h"
#include "vascend_hdc_svc.h"

#define MGMT_REPLY_MAX \
    (sizeof(struct vascend_hdc_mgmt_reply) + \
     (sizeof(struct vascend_identify) > sizeof(struct vascend_telemetry) ? \
      sizeof(struct vascend_identify) : sizeof(struct vascend_telemetry)))

/* Build the answer to @req (@len bytes) in @out; returns its length. */
static uint32_t mgmt_answer(struct anpu_hdc *h, const uint8_t *req,
                            uint32_t len, uint8_t *out)
{
    struct vascend_hdc_mgmt_reply rep;
    struct vascend_hdc_mgmt_req rq;
    struct vascend_identify id;
    struct vascend_telemetry tm;
    uint32_t body_len = 0;

    memset(&rep, 0, sizeof(rep));
    memset(&rq, 0, sizeof(rq));
    memcpy(&rq, req, len < sizeof(rq) ? len : sizeof(rq));
    rep.cmd = len >= sizeof(rq.cmd) ? rq.cmd : 0;
    if (len != sizeof(rq) || rq.rsvd) {
        rep.status = -VASCEND_HDC_EINVAL;
    } else if (rq.cmd == VASCEND_HDC_MGMT_IDENTIFY) {
        if (h->env.identify) {
            memset(&id, 0, sizeof(id));
            h->env.identify(h->env.opaque, &id);
            memcpy(out + sizeof(rep), &id, sizeof(id));
            body_len = sizeof(id);
        } else {
            rep.status = -VASCEND_HDC_EOPNOTSUPP;
        }
    } else if (rq.cmd == VASCEND_HDC_MGMT_TELEMETRY) {
        if (h->env.telemetry) {
            memset(&tm, 0, sizeof(tm));
            h->env.telemetry(h->env.opaque, &tm);
            memcpy(out + sizeof(rep), &tm, sizeof(tm));
            body_len = sizeof(tm);
        } else {
            rep.status = -VASCEND_HDC_EOPNOTSUPP;
        }
    } else {
        rep.status = -VASCEND_HDC_EINVAL;
    }
    memcpy(out, &rep, sizeof(rep));
    return sizeof(rep) + body_len;
}

static bool mgmt_run(struct anpu_hdc *h, struct anpu_hdc_session *s)
{
    uint8_t buf[MGMT_REPLY_MAX];
    struct anpu_hdc_msg *req, *rep;
    bool progress = false;
    uint32_t len;

    while ((req = anpu_hdc_in_peek(s)) &&
           anpu_hdc_out_room(h, s, 1, MGMT_REPLY_MAX)) {
        len = mgmt_answer(h, req->data, req->len, buf);
        rep = anpu_hdc_msg_new(h, s, len);
        if (!rep) {
            anpu_hdc_fail(h, s, VASCEND_HDC_ERR_SERVICE);
            return true;
        }
        memcpy(rep->data, buf, len);
        anpu_hdc_in_done(h, s);
        anpu_hdc_send(h, s, rep);
        progress = true;
    }
    return progress;
}

const struct anpu_hdc_service anpu_hdc_svc_mgmt = {
    .type = VASCEND_HDC_SVC_MGMT,
    .name = "mgmt",
    .host_credits = 8,
    .run = mgmt_run,
};
