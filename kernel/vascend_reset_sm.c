// SPDX-License-Identifier: GPL-2.0-only
/*
 * The recovery state machine (see vascend_reset_sm.h). Kept free of PCI
 * and of the device so KUnit can drive every transition.
 */

#include <linux/kernel.h>

#include <uapi/vascend_manager.h>

#include "vascend_reset_sm.h"

/**
 * vascend_rsm_init() - a healthy card that was never recovered
 * @rsm: the state
 */
void vascend_rsm_init(struct vascend_rsm *rsm)
{
	*rsm = (struct vascend_rsm){ .state = VASCEND_RSM_OK };
}

/**
 * vascend_rsm_request() - a fault asks for a recovery
 * @rsm: the state
 * @cause: VASCEND_RESET_CAUSE_*, not NONE
 *
 * Return: true when the caller must start the recovery worker; false when
 * a recovery is already pending or running (it covers this fault too), or
 * the card is dead.
 */
bool vascend_rsm_request(struct vascend_rsm *rsm, u32 cause)
{
	rsm->requests++;
	if (rsm->state != VASCEND_RSM_OK)
		return false;
	rsm->state = VASCEND_RSM_PENDING;
	rsm->cause = cause;
	rsm->attempts = 0;
	return true;
}

/**
 * vascend_rsm_begin() - the worker starts (or retries) the recovery
 * @rsm: the state, PENDING
 *
 * Return: the cause to recover from, or VASCEND_RESET_CAUSE_NONE when
 * there is nothing to do (not PENDING: a stray work item).
 */
u32 vascend_rsm_begin(struct vascend_rsm *rsm)
{
	if (rsm->state != VASCEND_RSM_PENDING)
		return VASCEND_RESET_CAUSE_NONE;
	rsm->state = VASCEND_RSM_RESETTING;
	rsm->last_cause = rsm->cause;
	return rsm->cause;
}

/**
 * vascend_rsm_end() - the worker finished one attempt
 * @rsm: the state, RESETTING
 * @ok: the card is back (firmware running, admin queue up, clients restored)
 *
 * Return: what to do next.
 */
enum vascend_rsm_next vascend_rsm_end(struct vascend_rsm *rsm, bool ok)
{
	if (rsm->state != VASCEND_RSM_RESETTING)
		return rsm->state == VASCEND_RSM_DEAD ? VASCEND_RSM_NEXT_DEAD :
							 VASCEND_RSM_NEXT_DONE;
	if (ok) {
		rsm->state = VASCEND_RSM_OK;
		rsm->count++;
		rsm->attempts = 0;
		return VASCEND_RSM_NEXT_DONE;
	}
	if (++rsm->attempts >= VASCEND_RSM_MAX_ATTEMPTS) {
		rsm->state = VASCEND_RSM_DEAD;
		return VASCEND_RSM_NEXT_DEAD;
	}
	rsm->state = VASCEND_RSM_PENDING;
	return VASCEND_RSM_NEXT_RETRY;
}

/**
 * vascend_rsm_kill() - the card is gone (removed) or cannot be recovered
 * @rsm: the state
 */
void vascend_rsm_kill(struct vascend_rsm *rsm)
{
	rsm->state = VASCEND_RSM_DEAD;
}

/**
 * vascend_rsm_busy() - is a recovery pending or running?
 * @rsm: the state
 *
 * Return: true while PENDING or RESETTING.
 */
bool vascend_rsm_busy(const struct vascend_rsm *rsm)
{
	return rsm->state == VASCEND_RSM_PENDING ||
	       rsm->state == VASCEND_RSM_RESETTING;
}

/**
 * vascend_rsm_card_state() - the state as the manager reports it
 * @rsm: the state
 *
 * Return: VASCEND_CARD_OK, _RESETTING or _DEAD.
 */
u32 vascend_rsm_card_state(const struct vascend_rsm *rsm)
{
	switch (rsm->state) {
	case VASCEND_RSM_OK:
		return VASCEND_CARD_OK;
	case VASCEND_RSM_PENDING:
	case VASCEND_RSM_RESETTING:
		return VASCEND_CARD_RESETTING;
	default:
		return VASCEND_CARD_DEAD;
	}
}

/**
 * vascend_rsm_cause_name() - a cause as sysfs and the log spell it
 * @cause: VASCEND_RESET_CAUSE_*
 *
 * Return: a static string.
 */
const char *vascend_rsm_cause_name(u32 cause)
{
	switch (cause) {
	case VASCEND_RESET_CAUSE_NONE:
		return "none";
	case VASCEND_RESET_CAUSE_HANG:
		return "hang";
	case VASCEND_RESET_CAUSE_DMA:
		return "dma";
	case VASCEND_RESET_CAUSE_ECC:
		return "ecc";
	case VASCEND_RESET_CAUSE_FW_CRASH:
		return "fw-crash";
	case VASCEND_RESET_CAUSE_USER:
		return "user";
	default:
		return "unknown";
	}
}
