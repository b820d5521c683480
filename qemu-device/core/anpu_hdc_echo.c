/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * HDC echo service: every message goes back unchanged. The buffer moves
 * from the input to the output queue, so an echo costs no copy; while
 * ANPU_HDC_OUT_MAX answers wait for the host's credits, the service takes
 * nothing more and returns no credit.
 */
#include "anpu_hdc_svc.h"

static bool echo_run(struct anpu_hdc *h, struct anpu_hdc_session *s)
{
    bool progress = false;

    while (anpu_hdc_in_peek(s) && anpu_hdc_out_room(h, s, 1, 0)) {
        anpu_hdc_send(h, s, anpu_hdc_in_take(h, s));
        progress = true;
    }
    return progress;
}

const struct anpu_hdc_service anpu_hdc_svc_echo = {
    .type = VASCEND_HDC_SVC_ECHO,
    .name = "echo",
    .host_credits = 8,
    .run = echo_run,
};
