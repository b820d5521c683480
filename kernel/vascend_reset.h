/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Recovery: a fault (hang watchdog, fatal interrupt, stuck admin queue,
 * MGR_RESET, the debugfs knob) schedules a reset of the whole card. The
 * recovery worker then:
 *
 *   1. closes the admin queue to everyone but itself and aborts the admin
 *      commands in flight (-EIO, status ABORTED);
 *   2. calls every client's prepare(), in the reverse order of
 *      registration: stop touching the card, fail waiters;
 *   3. resets the card (VASCEND_REG_RESET), boots the firmware again and
 *      brings the admin queue back up;
 *   4. calls every client's restore(), in the order of registration:
 *      recreate the device state (contexts, then queues, then HDC);
 *   5. reopens the admin queue.
 *
 * Other processes carry on once it is done. A card whose recovery fails
 * VASCEND_RSM_MAX_ATTEMPTS times in a row is dead: rebind the driver.
 */

#ifndef __VASCEND_RESET_H__
#define __VASCEND_RESET_H__

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <uapi/vascend_manager.h>	/* VASCEND_RESET_CAUSE_* */

#include "vascend_reset_sm.h"

struct task_struct;
struct vascend_device;

/**
 * struct vascend_reset_client - a subsystem with device state to rebuild
 * @node: in the card's client list
 * @prepare: about to reset: stop touching the card, fail waiters. Runs in
 *	the recovery worker; must not wait for anything held across
 *	vascend_admin_exec().
 * @restore: the card is back (firmware booted, admin queue up): recreate
 *	the device state. vascend_admin_exec() works here. Return 0, or a
 *	negative errno (logged; the recovery is retried).
 * @data: passed to both
 */
struct vascend_reset_client {
	struct list_head node;
	void (*prepare)(struct vascend_device *vdev, void *data);
	int (*restore)(struct vascend_device *vdev, void *data);
	void *data;
};

void vascend_reset_client_add(struct vascend_device *vdev,
			      struct vascend_reset_client *c);
void vascend_reset_client_remove(struct vascend_device *vdev,
				 struct vascend_reset_client *c);

/**
 * vascend_reset_schedule() - ask for a recovery of the card
 * @vdev: the card
 * @cause: VASCEND_RESET_CAUSE_*
 *
 * Any context (interrupt handlers too). A request while a recovery is
 * pending or running joins it; a dead or removed card ignores it.
 */
void vascend_reset_schedule(struct vascend_device *vdev, u32 cause);

/**
 * vascend_reset_wait() - wait until no recovery is pending or running
 * @vdev: the card
 *
 * Sleeps uninterruptibly; a recovery takes a bounded time.
 *
 * Return: 0 when the card is healthy, -ENODEV when it is dead or gone.
 */
int vascend_reset_wait(struct vascend_device *vdev);

/**
 * struct vascend_reset - recovery of one card
 * @lock: protects @rsm, @fatal_status, @worker and @gone; taken in the
 *	admin interrupt
 * @rsm: the state machine
 * @fatal_status: last VASCEND_FATAL_* bits the card reported
 * @worker: the task running the recovery, while it runs
 * @gone: the card is being removed: requests are ignored
 * @clients_lock: protects @clients; held across prepare and restore
 * @clients: struct vascend_reset_client, in registration order
 * @work: runs the recovery
 * @done_wq: woken when a recovery ends or the card dies
 * @watchdog: periodic hang check of the IO queues
 */
struct vascend_reset {
	spinlock_t lock; /* Protects rsm, fatal_status, worker, gone */
	struct vascend_rsm rsm;
	u32 fatal_status;
	struct task_struct *worker;
	bool gone;

	struct mutex clients_lock; /* Protects clients */
	struct list_head clients;

	struct work_struct work;
	wait_queue_head_t done_wq;
	struct delayed_work watchdog;
};

void vascend_reset_init(struct vascend_device *vdev);
void vascend_reset_start(struct vascend_device *vdev);
void vascend_reset_fini(struct vascend_device *vdev);
void vascend_reset_fatal_irq(struct vascend_device *vdev);
bool vascend_reset_is_worker(struct vascend_device *vdev);
void vascend_reset_get_health(struct vascend_device *vdev, u32 *state,
			      u32 *fatal_status, u32 *count, u32 *last_cause);
int vascend_reset_now(struct vascend_device *vdev, u32 cause);

#endif /* __VASCEND_RESET_H__ */
