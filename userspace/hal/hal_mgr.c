// SPDX-License-Identifier: MIT
/*
 * /dev/davinci_manager: which cards exist, their health and telemetry, who
 * uses them, and a forced recovery. Each call opens the node for its own
 * duration: these are rare, and the node needs no state.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vascend_manager.h"

#include "hal_error.h"
#include "hal_internal.h"

#define MGR_PROCS_MAX	4096	/* the driver fills at most this many */

_Static_assert(HAL_VASCEND_CARD_OK == VASCEND_CARD_OK, "card states differ");
_Static_assert(HAL_VASCEND_CARD_RESETTING == VASCEND_CARD_RESETTING, "card states differ");
_Static_assert(HAL_VASCEND_CARD_DEAD == VASCEND_CARD_DEAD, "card states differ");
_Static_assert(sizeof(struct halVascendProc) == sizeof(struct vascend_mgr_proc_entry),
	       "process entries differ");

/* One ioctl on a freshly opened manager node. */
static drvError_t mgr_ioctl(unsigned long req, void *arg, const char *name, int dev)
{
	const struct hal_os_ops *os;
	drvError_t ret;
	int fd, err;

	ret = hal_backend(&os);
	if (ret)
		return ret;
	fd = os->open(HAL_MANAGER_NODE);
	if (fd < 0)
		return hal_fail(hal_errno_to_drv(-fd), -fd, "%s", HAL_MANAGER_NODE);
	err = hal_ioctl(os, fd, req, arg);
	os->close(fd);
	if (err && dev >= 0)
		return hal_fail(hal_errno_to_drv(-err), -err, "%s: %s of device %d",
				HAL_MANAGER_NODE, name, dev);
	if (err)
		return hal_fail(hal_errno_to_drv(-err), -err, "%s: %s", HAL_MANAGER_NODE, name);
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendMgrCards(uint32_t *ids, uint32_t len, uint32_t *count)
{
	struct vascend_mgr_cards c;
	drvError_t ret;
	uint32_t i;

	if (!count || (len && !ids))
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendMgrCards: bad arguments");
	memset(&c, 0, sizeof(c));
	ret = mgr_ioctl(VASCEND_IOCTL_MGR_CARDS, &c, "VASCEND_IOCTL_MGR_CARDS", -1);
	if (ret)
		return ret;
	if (c.count > VASCEND_MAX_CARDS)
		c.count = VASCEND_MAX_CARDS;
	for (i = 0; i < c.count && i < len; i++)
		ids[i] = c.ids[i];
	*count = c.count;
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendMgrHealth(uint32_t devId, struct halVascendHealth *health)
{
	struct vascend_mgr_health h;
	drvError_t ret;

	if (!health)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendMgrHealth: health is NULL");
	memset(&h, 0, sizeof(h));
	h.dev_id = devId;
	ret = mgr_ioctl(VASCEND_IOCTL_MGR_HEALTH, &h, "VASCEND_IOCTL_MGR_HEALTH", (int)devId);
	if (ret)
		return ret;
	health->state = h.state;
	health->fwStatus = h.fw_status;
	health->fatalStatus = h.fatal_status;
	health->resetCount = h.reset_count;
	health->lastResetCause = h.last_reset_cause;
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendMgrTelemetry(uint32_t devId, struct halVascendTelemetry *t)
{
	struct vascend_mgr_telemetry m;
	drvError_t ret;

	if (!t)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendMgrTelemetry: t is NULL");
	memset(&m, 0, sizeof(m));
	m.dev_id = devId;
	ret = mgr_ioctl(VASCEND_IOCTL_MGR_TELEMETRY, &m, "VASCEND_IOCTL_MGR_TELEMETRY",
			(int)devId);
	if (ret)
		return ret;
	t->utilization = m.utilization;
	t->temperatureMc = m.temperature_mc;
	t->powerMw = m.power_mw;
	t->aicoreCount = m.aicore_count;
	t->hbmTotal = m.hbm_total;
	t->hbmUsed = m.hbm_used;
	t->aicoreBusyNs = m.aicore_busy_ns;
	t->tasksCompleted = m.tasks_completed;
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendMgrProcs(uint32_t devId, struct halVascendProc *procs,
					uint32_t len, uint32_t *count)
{
	struct vascend_mgr_procs p;
	drvError_t ret;

	if (!count || (len && !procs))
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendMgrProcs: bad arguments");
	memset(&p, 0, sizeof(p));
	p.dev_id = devId;
	p.count = len > MGR_PROCS_MAX ? MGR_PROCS_MAX : len;
	p.entries = (uint64_t)(uintptr_t)procs;
	ret = mgr_ioctl(VASCEND_IOCTL_MGR_PROCS, &p, "VASCEND_IOCTL_MGR_PROCS", (int)devId);
	if (ret)
		return ret;
	*count = p.count;
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendMgrReset(uint32_t devId)
{
	struct vascend_mgr_reset r;

	memset(&r, 0, sizeof(r));
	r.dev_id = devId;
	return mgr_ioctl(VASCEND_IOCTL_MGR_RESET, &r, "VASCEND_IOCTL_MGR_RESET", (int)devId);
}
