// SPDX-License-Identifier: GPL-2.0-only
/*
 * Recovery of a card (see vascend_reset.h for the sequence). Faults are
 * reported from any context with vascend_reset_schedule(); the state
 * machine (vascend_reset_sm.c) folds them into one recovery, which runs in
 * a work item, taking unplug_lock for read so that remove() waits for it
 * (and a recovery never starts once remove() has begun).
 *
 * Who reports what:
 *   - the watchdog (a delayed work item, once a second): a task that has
 *     been the oldest unfinished one of its stream for hang_timeout_ms
 *     (EVENT_WAIT excepted: that waits for userspace) -> HANG;
 *   - the admin interrupt: FATAL_STATUS ECC -> ECC, FW_CRASH -> FW_CRASH;
 *   - an admin command that timed out, or a queue that cannot be deleted
 *     -> HANG;
 *   - a DMA channel 0 command that timed out or completed inconsistently
 *     -> DMA (the channel stays stopped until this recovery's reset);
 *   - MGR_RESET and debugfs's force_recovery -> USER.
 * A DMA_ERROR completion is the stream's business: it fails the stream
 * (WAIT reports it) and resets nothing, since the card says nothing fatal.
 */

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/workqueue.h>

#include <uapi/vascend_hw.h>
#include <uapi/vascend_manager.h>

#include "vascend_admin.h"
#include "vascend_dma.h"
#include "vascend_drv.h"
#include "vascend_fw.h"
#include "vascend_hw.h"
#include "vascend_reset.h"
#include "vascend_stream.h"
#include "vascend_trace.h"

static unsigned int vascend_hang_timeout_ms = 10000;
module_param_named(hang_timeout_ms, vascend_hang_timeout_ms, uint, 0644);
MODULE_PARM_DESC(hang_timeout_ms,
		 "a task running longer than this is a hang and the card is recovered (default 10000; 0 disables the watchdog)");

/* How often the watchdog looks. */
#define VASCEND_WATCHDOG_PERIOD_MS	1000

void vascend_reset_client_add(struct vascend_device *vdev,
			      struct vascend_reset_client *c)
{
	mutex_lock(&vdev->reset.clients_lock);
	list_add_tail(&c->node, &vdev->reset.clients);
	mutex_unlock(&vdev->reset.clients_lock);
}

void vascend_reset_client_remove(struct vascend_device *vdev,
				 struct vascend_reset_client *c)
{
	mutex_lock(&vdev->reset.clients_lock);
	list_del_init(&c->node);
	mutex_unlock(&vdev->reset.clients_lock);
}

void vascend_reset_schedule(struct vascend_device *vdev, u32 cause)
{
	struct vascend_reset *rst = &vdev->reset;
	unsigned long flags;
	bool start = false;

	spin_lock_irqsave(&rst->lock, flags);
	if (!rst->gone)
		start = vascend_rsm_request(&rst->rsm, cause);
	spin_unlock_irqrestore(&rst->lock, flags);

	if (start) {
		trace_vascend_fault(vdev->index, 0, 0, cause, 0, 0);
		queue_work(system_unbound_wq, &rst->work);
	}
}

/**
 * vascend_reset_is_worker() - is the current task running the recovery?
 * @vdev: the card
 *
 * Return: true inside prepare/restore callbacks.
 */
bool vascend_reset_is_worker(struct vascend_device *vdev)
{
	return READ_ONCE(vdev->reset.worker) == current;
}

static bool vascend_reset_settled(struct vascend_device *vdev)
{
	struct vascend_reset *rst = &vdev->reset;
	unsigned long flags;
	bool settled;

	spin_lock_irqsave(&rst->lock, flags);
	settled = !vascend_rsm_busy(&rst->rsm);
	spin_unlock_irqrestore(&rst->lock, flags);
	return settled;
}

static int vascend_reset_outcome(struct vascend_device *vdev)
{
	struct vascend_reset *rst = &vdev->reset;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&rst->lock, flags);
	ret = rst->rsm.state == VASCEND_RSM_OK ? 0 : -ENODEV;
	spin_unlock_irqrestore(&rst->lock, flags);
	return ret;
}

int vascend_reset_wait(struct vascend_device *vdev)
{
	/* Bounded: each attempt is, and attempts are. */
	wait_event(vdev->reset.done_wq, vascend_reset_settled(vdev));
	return vascend_reset_outcome(vdev);
}

/**
 * vascend_reset_now() - recover the card and wait for the outcome
 * @vdev: the card
 * @cause: VASCEND_RESET_CAUSE_*
 *
 * Return: 0 when the card is healthy again, -ENODEV when it is dead,
 * -ERESTARTSYS on a signal (the recovery goes on).
 */
int vascend_reset_now(struct vascend_device *vdev, u32 cause)
{
	int ret;

	vascend_reset_schedule(vdev, cause);
	ret = wait_event_interruptible(vdev->reset.done_wq,
				       vascend_reset_settled(vdev));
	return ret ? ret : vascend_reset_outcome(vdev);
}

/**
 * vascend_reset_get_health() - the recovery state, for sysfs and HEALTH
 * @vdev: the card
 * @state: out: VASCEND_CARD_*
 * @fatal_status: out (may be NULL): last VASCEND_FATAL_* bits
 * @count: out (may be NULL): recoveries since bind
 * @last_cause: out (may be NULL): VASCEND_RESET_CAUSE_* of the last one
 */
void vascend_reset_get_health(struct vascend_device *vdev, u32 *state,
			      u32 *fatal_status, u32 *count, u32 *last_cause)
{
	struct vascend_reset *rst = &vdev->reset;
	unsigned long flags;

	spin_lock_irqsave(&rst->lock, flags);
	*state = vascend_rsm_card_state(&rst->rsm);
	if (fatal_status)
		*fatal_status = rst->fatal_status;
	if (count)
		*count = rst->rsm.count;
	if (last_cause)
		*last_cause = rst->rsm.last_cause;
	spin_unlock_irqrestore(&rst->lock, flags);
}

/**
 * vascend_reset_fatal_irq() - the admin interrupt saw IRQ_STATUS.FATAL
 * @vdev: the card
 *
 * Hard interrupt context. The bits stay set in the device until the reset
 * clears them.
 */
void vascend_reset_fatal_irq(struct vascend_device *vdev)
{
	struct vascend_reset *rst = &vdev->reset;
	u32 fatal = vascend_rd32(vdev, VASCEND_REG_FATAL_STATUS);
	u32 cause;

	if (!fatal)
		return;
	spin_lock(&rst->lock);
	rst->fatal_status = fatal;
	spin_unlock(&rst->lock);

	cause = fatal & VASCEND_FATAL_FW_CRASH ? VASCEND_RESET_CAUSE_FW_CRASH :
						 VASCEND_RESET_CAUSE_ECC;
	if (fatal & VASCEND_FATAL_ECC)
		dev_err_ratelimited(vascend_to_dev(vdev),
				    "uncorrectable HBM error at 0x%llx\n",
				    vascend_rd64(vdev, VASCEND_REG_ECC_ADDR_LO,
						 VASCEND_REG_ECC_ADDR_HI));
	if (fatal & VASCEND_FATAL_FW_CRASH)
		dev_err_ratelimited(vascend_to_dev(vdev),
				    "firmware crashed (FW_STATUS 0x%02x)\n",
				    vascend_rd32(vdev, VASCEND_REG_FW_STATUS));
	vascend_reset_schedule(vdev, cause);
}

/* Steps 3 to 5 of one attempt; the clients have been prepared. */
static int vascend_reset_hw(struct vascend_device *vdev)
{
	struct vascend_reset_client *c;
	int ret;

	/*
	 * DMA channel 0 counts commands since the device's last reset: hold
	 * the channel, so no transfer straddles the reset, and count anew.
	 */
	mutex_lock(&vdev->dma.lock);
	ret = vascend_hw_reset(vdev);
	if (!ret) {
		/* The device's DMA is idle: a stopped channel may run again. */
		vascend_dma_revive_locked(vdev);
		ret = vascend_fw_boot(vdev);
	}
	mutex_unlock(&vdev->dma.lock);
	if (ret)
		return ret;

	ret = vascend_admin_enable(vdev);
	if (ret)
		return ret;

	list_for_each_entry(c, &vdev->reset.clients, node) {
		ret = c->restore(vdev, c->data);
		if (ret) {
			dev_err(vascend_to_dev(vdev),
				"recovery: %ps failed: %pe\n", c->restore,
				ERR_PTR(ret));
			return ret;
		}
	}
	return 0;
}

static void vascend_reset_work(struct work_struct *work)
{
	struct vascend_reset *rst = container_of(work, struct vascend_reset,
						 work);
	struct vascend_device *vdev = container_of(rst, struct vascend_device,
						   reset);
	struct device *dev = vascend_to_dev(vdev);
	enum vascend_rsm_next next;
	struct vascend_reset_client *c;
	unsigned long flags;
	u32 cause, count;
	int ret;

	/* remove() has begun: it resets the card itself. */
	if (!down_read_trylock(&vdev->unplug_lock))
		return;
	if (vdev->unplugged)
		goto out_unlock;

	do {
		spin_lock_irqsave(&rst->lock, flags);
		cause = vascend_rsm_begin(&rst->rsm);
		if (cause)
			WRITE_ONCE(rst->worker, current);
		spin_unlock_irqrestore(&rst->lock, flags);
		if (!cause)
			break;

		dev_warn(dev, "recovering the card (cause: %s)\n",
			 vascend_rsm_cause_name(cause));
		vascend_admin_close(vdev);
		vascend_admin_abort_all(vdev);

		mutex_lock(&rst->clients_lock);
		list_for_each_entry_reverse(c, &rst->clients, node)
			c->prepare(vdev, c->data);
		ret = vascend_reset_hw(vdev);
		mutex_unlock(&rst->clients_lock);

		spin_lock_irqsave(&rst->lock, flags);
		next = vascend_rsm_end(&rst->rsm, !ret);
		count = rst->rsm.count;
		WRITE_ONCE(rst->worker, NULL);
		spin_unlock_irqrestore(&rst->lock, flags);

		if (next == VASCEND_RSM_NEXT_DONE) {
			vascend_admin_open(vdev);
			dev_warn(dev, "card recovered (cause: %s, recovery %u)\n",
				 vascend_rsm_cause_name(cause), count);
		} else if (next == VASCEND_RSM_NEXT_DEAD) {
			vascend_admin_kill(vdev);
			dev_err(dev, "recovery failed %u times: card dead, rebind the driver\n",
				VASCEND_RSM_MAX_ATTEMPTS);
		} else {
			dev_warn(dev, "recovery attempt failed (%pe): retrying\n",
				 ERR_PTR(ret));
		}
	} while (next == VASCEND_RSM_NEXT_RETRY);

	wake_up_all(&rst->done_wq);
out_unlock:
	up_read(&vdev->unplug_lock);
}

static void vascend_reset_watchdog(struct work_struct *work)
{
	struct vascend_reset *rst = container_of(to_delayed_work(work),
						 struct vascend_reset, watchdog);
	struct vascend_device *vdev = container_of(rst, struct vascend_device,
						   reset);
	unsigned int timeout = READ_ONCE(vascend_hang_timeout_ms);

	if (timeout && vascend_reset_settled(vdev) &&
	    vascend_streams_watchdog(vdev, timeout))
		vascend_reset_schedule(vdev, VASCEND_RESET_CAUSE_HANG);
	queue_delayed_work(system_wq, &rst->watchdog,
			   msecs_to_jiffies(VASCEND_WATCHDOG_PERIOD_MS));
}

/**
 * vascend_reset_init() - recovery state of a new card
 * @vdev: the card
 */
void vascend_reset_init(struct vascend_device *vdev)
{
	struct vascend_reset *rst = &vdev->reset;

	spin_lock_init(&rst->lock);
	vascend_rsm_init(&rst->rsm);
	mutex_init(&rst->clients_lock);
	INIT_LIST_HEAD(&rst->clients);
	INIT_WORK(&rst->work, vascend_reset_work);
	init_waitqueue_head(&rst->done_wq);
	INIT_DELAYED_WORK(&rst->watchdog, vascend_reset_watchdog);
}

/**
 * vascend_reset_start() - the card is up: start the hang watchdog
 * @vdev: the card
 */
void vascend_reset_start(struct vascend_device *vdev)
{
	queue_delayed_work(system_wq, &vdev->reset.watchdog,
			   msecs_to_jiffies(VASCEND_WATCHDOG_PERIOD_MS));
}

/**
 * vascend_reset_fini() - no more recoveries: the card is going away
 * @vdev: the card, unplugged (so a queued recovery returns at once)
 *
 * Waiters on a recovery are told the card is dead.
 */
void vascend_reset_fini(struct vascend_device *vdev)
{
	struct vascend_reset *rst = &vdev->reset;
	unsigned long flags;

	spin_lock_irqsave(&rst->lock, flags);
	rst->gone = true;
	spin_unlock_irqrestore(&rst->lock, flags);

	cancel_delayed_work_sync(&rst->watchdog);
	cancel_work_sync(&rst->work);

	spin_lock_irqsave(&rst->lock, flags);
	vascend_rsm_kill(&rst->rsm);
	spin_unlock_irqrestore(&rst->lock, flags);
	wake_up_all(&rst->done_wq);
}
