/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The recovery state machine: what a card does when a fault is reported
 * while it is healthy, recovering or dead. Pure logic, no PCI and no locks
 * (the caller holds vascend_reset.lock), so KUnit tests it under UML.
 *
 *   OK --request--> PENDING --begin--> RESETTING --end(ok)--> OK
 *                                          |
 *                                          +--end(fail)--> PENDING (retry)
 *                                          +--end(fail) x VASCEND_RSM_MAX_ATTEMPTS--> DEAD
 *
 * A request while PENDING or RESETTING joins the recovery already under
 * way (the reset wipes whatever the new fault left); DEAD stays DEAD.
 */

#ifndef __VASCEND_RESET_SM_H__
#define __VASCEND_RESET_SM_H__

#include <linux/types.h>

/* Failed recoveries in a row before the card is given up. */
#define VASCEND_RSM_MAX_ATTEMPTS	3

enum vascend_rsm_state {
	VASCEND_RSM_OK,
	VASCEND_RSM_PENDING,
	VASCEND_RSM_RESETTING,
	VASCEND_RSM_DEAD,
};

/* What vascend_rsm_end() tells the worker to do next. */
enum vascend_rsm_next {
	VASCEND_RSM_NEXT_DONE,	/* card healthy again */
	VASCEND_RSM_NEXT_RETRY,	/* run the recovery once more */
	VASCEND_RSM_NEXT_DEAD,	/* give up: the card is dead */
};

/**
 * struct vascend_rsm - recovery state of one card
 * @state: VASCEND_RSM_*
 * @cause: VASCEND_RESET_CAUSE_* of the recovery pending or running
 * @attempts: failed attempts of this recovery so far
 * @count: successful recoveries since the driver bound the card
 * @last_cause: cause of the last recovery that ran (successful or not)
 * @requests: faults reported, including those joined to a recovery
 */
struct vascend_rsm {
	enum vascend_rsm_state state;
	u32 cause;
	u32 attempts;
	u32 count;
	u32 last_cause;
	u32 requests;
};

void vascend_rsm_init(struct vascend_rsm *rsm);
bool vascend_rsm_request(struct vascend_rsm *rsm, u32 cause);
u32 vascend_rsm_begin(struct vascend_rsm *rsm);
enum vascend_rsm_next vascend_rsm_end(struct vascend_rsm *rsm, bool ok);
void vascend_rsm_kill(struct vascend_rsm *rsm);
bool vascend_rsm_busy(const struct vascend_rsm *rsm);
u32 vascend_rsm_card_state(const struct vascend_rsm *rsm);
const char *vascend_rsm_cause_name(u32 cause);

#endif /* __VASCEND_RESET_SM_H__ */
