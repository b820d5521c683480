// SPDX-License-Identifier: GPL-2.0-only
/*
 * Streams: each one a device IO queue pair with both rings in coherent
 * kernel memory, owned by the /dev/davinciN file that created it and bound
 * to the device context of that file's process (vascend_vm_get(), taken at
 * the file's first STREAM_CREATE, so a file that only asks GET_INFO costs
 * the card nothing).
 *
 * Tasks are numbered per stream from 1 (the seq). The driver keeps at most
 * depth - 1 tasks in flight, so neither ring ever fills, and the tasks of
 * a queue complete in ring order: each CQE completes seq completed + 1 (its
 * task_id is the seq's low 32 bits, checked). A failed task stops the
 * device queue; the stream remembers the first failure until STREAM_RESET.
 *
 * Life of a stream (state, under list_lock and the stream's lock):
 *   CREATING -> LIVE        CREATE_QUEUE done with no card reset in between
 *   LIVE -> CLOSING -> GONE destroy: DELETE_QUEUE, rings freed
 *   any -> GONE             the card is removed
 * A card reset's prepare drains each LIVE stream's CQ, aborts its
 * unfinished tasks (status ABORTED) and stops CQ processing (hw_live);
 * restore gives it new empty rings under the same qid. A stream still
 * CREATING when the reset came creates its queue again.
 *
 * Locks, outer to inner: vascend_stream.ctl_lock / submit_lock (mutexes,
 * never taken by the recovery worker), vascend_streams.list_lock (mutex,
 * held by the recovery worker), vascend_streams.lock (spinlock, CQ
 * handlers), vascend_stream.lock (spinlock), vascend_stream.sq_db_lock /
 * cq_db_lock (spinlocks, each held across one doorbell write).
 */

#include <linux/bitmap.h>
#include <linux/dma-mapping.h>
#include <linux/eventfd.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <uapi/vascend_manager.h>

#include "vascend_admin.h"
#include "vascend_drv.h"
#include "vascend_hw.h"
#include "vascend_irq.h"
#include "vascend_reset.h"
#include "vascend_ring.h"
#include "vascend_stream.h"
#include "vascend_task_check.h"
#include "vascend_trace.h"
#include "vascend_uring.h"
#include "vascend_vm.h"

/*
 * Interrupt coalescing of every IO queue: the device interrupts once this
 * many CQEs wait, and at the latest after coalesce_usecs. The last task of
 * every batch (and a task with VASCEND_TASK_F_IRQ_NOW) interrupts at once,
 * so the latency of a batch's completion is unaffected while a burst costs
 * about one interrupt per coalesce_count tasks.
 */
static ushort vascend_coalesce_count = 16;
module_param_named(coalesce_count, vascend_coalesce_count, ushort, 0644);
MODULE_PARM_DESC(coalesce_count,
		 "IO queue interrupt coalescing: CQEs per interrupt (default 16, 0 = every CQE); applies to streams created afterwards");

static ushort vascend_coalesce_usecs = 100;
module_param_named(coalesce_usecs, vascend_coalesce_usecs, ushort, 0644);
MODULE_PARM_DESC(coalesce_usecs,
		 "IO queue interrupt coalescing: longest a CQE waits for its interrupt, in microseconds (default 100)");

/*
 * A blocking WAIT first polls the CQ itself, for up to wait_poll_usecs,
 * when the stream's recent tasks completed within that time: it then takes
 * the CQE the moment the device writes it instead of after the interrupt,
 * the threaded handler and the wake-up, which under TCG cost a short task
 * more than the task itself (docs/performance.md). Streams whose tasks run
 * longer sleep at once, so a vCPU is never spent on a long wait.
 */
static ushort vascend_wait_poll_usecs = 500;
module_param_named(wait_poll_usecs, vascend_wait_poll_usecs, ushort, 0644);
MODULE_PARM_DESC(wait_poll_usecs,
		 "WAIT: longest a waiter polls the completion queue before sleeping, in microseconds, for streams whose tasks complete within it (default 500, 0 = never poll)");

/* A card reset racing a STREAM_CREATE: give up after this many. */
#define VASCEND_STREAM_CREATE_TRIES	3

static void vascend_stream_release(struct kref *ref)
{
	struct vascend_stream *stream = container_of(ref, struct vascend_stream,
						     ref);

	if (stream->efd)
		eventfd_ctx_put(stream->efd);
	mutex_destroy(&stream->submit_lock);
	mutex_destroy(&stream->ctl_lock);
	kfree(stream);
}

/**
 * vascend_stream_put() - drop a reference taken by vascend_stream_get()
 * @stream: the stream
 */
void vascend_stream_put(struct vascend_stream *stream)
{
	kref_put(&stream->ref, vascend_stream_release);
}

/**
 * vascend_stream_get() - look a stream of this file up by its id
 * @vfile: the file
 * @id: stream_id as userspace passed it
 *
 * Return: the stream with a reference held, or NULL.
 */
struct vascend_stream *vascend_stream_get(struct vascend_file *vfile, u32 id)
{
	struct vascend_stream *stream = NULL;

	if (!id || id > VASCEND_STREAMS_PER_FILE)
		return NULL;
	mutex_lock(&vfile->lock);
	stream = vfile->streams[id - 1];
	if (stream)
		kref_get(&stream->ref);
	mutex_unlock(&vfile->lock);
	return stream;
}

/* 6.8 dropped the count (always 1 here); Kbuild tells which we have. */
static void vascend_eventfd_signal(struct eventfd_ctx *efd)
{
#ifdef VASCEND_HAVE_EVENTFD_SIGNAL_COUNT
	eventfd_signal(efd, 1);
#else
	eventfd_signal(efd);
#endif
}

/* The result an io_uring batch ending at @seq gets, or 1 while it runs. */
static int vascend_stream_uring_result_locked(struct vascend_stream *stream,
					      u64 seq)
{
	lockdep_assert_held(&stream->lock);

	/* A failed stream runs nothing more until STREAM_RESET. */
	if (stream->err_status)
		return -EIO;
	if (stream->state == VASCEND_STREAM_GONE)
		return -ECANCELED;
	if (stream->completed >= seq)
		return 0;
	return 1;
}

/*
 * Tell everyone who waits on the stream that something changed: WAIT and
 * submitters, poll, the eventfd, and the io_uring batches now finished.
 */
static void vascend_stream_notify_locked(struct vascend_stream *stream)
{
	struct vascend_uring_pdu *pdu, *tmp;
	int res;

	lockdep_assert_held(&stream->lock);

	list_for_each_entry_safe(pdu, tmp, &stream->uring_cmds, node) {
		res = vascend_stream_uring_result_locked(stream, pdu->seq);
		if (res <= 0)
			vascend_uring_finish(pdu, res);
	}
	wake_up_all(&stream->wq);
	wake_up_interruptible(&stream->vfile->poll_wq);
	if (stream->efd)
		vascend_eventfd_signal(stream->efd);
}

/*
 * Every task submitted and not completed is dropped: the first failure
 * becomes @status (unless the stream failed already), pending io_uring
 * batches end with @uring_res.
 */
static void vascend_stream_abort_locked(struct vascend_stream *stream,
					u32 status, int uring_res)
{
	struct vascend_uring_pdu *pdu, *tmp;

	lockdep_assert_held(&stream->lock);

	if (stream->submitted != stream->completed) {
		if (!stream->err_status) {
			stream->err_status = status;
			stream->err_seq = stream->completed + 1;
			stream->err_info = 0;
			stream->err_result = 0;
		}
		stream->completed = stream->submitted;
	}
	stream->idle_submit_ns = 0;
	list_for_each_entry_safe(pdu, tmp, &stream->uring_cmds, node)
		vascend_uring_finish(pdu, uring_res);
	stream->progress = jiffies;
}

static void vascend_stream_complete_one_locked(struct vascend_stream *stream,
					       const struct vascend_cqe *cqe)
{
	struct device *dev = vascend_to_dev(stream->vdev);
	u64 seq;

	lockdep_assert_held(&stream->lock);

	if (stream->completed == stream->submitted) {
		dev_warn_ratelimited(dev, "queue %u: CQE for task 0x%x with no task in flight: ignored\n",
				     stream->qid, cqe->task_id);
		return;
	}
	seq = stream->completed + 1;
	if (cqe->task_id != lower_32_bits(seq))
		dev_warn_ratelimited(dev, "queue %u: CQE for task 0x%x, expected 0x%x: taken in ring order\n",
				     stream->qid, cqe->task_id,
				     lower_32_bits(seq));

	stream->completed = seq;
	stream->start_ts = cqe->start_ts;
	stream->end_ts = cqe->end_ts;
	stream->progress = jiffies;
	if (stream->idle_submit_ns && seq == stream->submitted) {
		u64 lat = ktime_get_ns() - stream->idle_submit_ns;

		/* Weighted 3:1 towards the past: one slow task does not stop polling. */
		stream->lat_ns = stream->lat_ns ? (3 * stream->lat_ns + lat) / 4 : lat;
		stream->idle_submit_ns = 0;
	}
	/*
	 * The task a STREAM_RESET aborts is no failure: the reset is about
	 * to clear the error anyway, and its batches end -ECANCELED.
	 */
	if (cqe->status != VASCEND_CQE_STATUS_SUCCESS && !stream->err_status &&
	    !(cqe->status == VASCEND_CQE_STATUS_ABORTED && stream->ctl_busy)) {
		stream->err_status = cqe->status;
		stream->err_info = cqe->info;
		stream->err_seq = seq;
		stream->err_result = cqe->result;
		trace_vascend_fault(stream->vdev->index, stream->qid, seq,
				    cqe->status, cqe->info, cqe->result);
		dev_dbg_ratelimited(dev, "queue %u: task %llu failed: %s (info 0x%x, result 0x%llx)\n",
				    stream->qid, seq,
				    vascend_cqe_status_name(cqe->status),
				    cqe->info, cqe->result);
	}
	trace_vascend_complete(stream->vdev->index, stream->qid, seq,
			       cqe->status, cqe->start_ts, cqe->end_ts);
}

/*
 * Doorbells are written with the stream's lock dropped: under TCG the
 * MMIO write needs QEMU's big lock, and a CPU spinning for stream->lock
 * (the CQ handler against a submitter, or the reverse) exits to QEMU at
 * every PAUSE and takes that big lock each time, so the lock holder could
 * wait milliseconds for it. Each doorbell has its own lock instead, taken
 * before stream->lock is dropped: whoever then changes what may be rung
 * (hw_live, ctl_busy, state, the rings) calls this, under stream->lock,
 * to wait for a write decided before the change.
 */
static void vascend_stream_db_fence_locked(struct vascend_stream *stream)
{
	lockdep_assert_held(&stream->lock);

	spin_lock(&stream->sq_db_lock);
	spin_unlock(&stream->sq_db_lock);
	spin_lock(&stream->cq_db_lock);
	spin_unlock(&stream->cq_db_lock);
}

/* Consume the new CQEs. Returns how many; their slots are not returned. */
static u32 vascend_stream_take_cqes_locked(struct vascend_stream *stream)
{
	struct vascend_cqe cqe, *slot;
	u32 n = 0;

	lockdep_assert_held(&stream->lock);

	for (;;) {
		slot = &stream->cq[stream->cq_head];
		if (!vascend_cqe_is_new(READ_ONCE(slot->flags), stream->phase))
			break;
		/* The device writes the flags word last: read the rest after it. */
		dma_rmb();
		cqe = *slot;
		vascend_cq_advance(&stream->cq_head, &stream->phase,
				   stream->depth);
		vascend_stream_complete_one_locked(stream, &cqe);
		n++;
	}
	return n;
}

/* Consume the new CQEs and return their slots. Returns how many. */
static u32 vascend_stream_reap_locked(struct vascend_stream *stream)
{
	u32 n = vascend_stream_take_cqes_locked(stream);

	if (n) {
		/* After a CQ handler's write of an older head, never before. */
		spin_lock(&stream->cq_db_lock);
		vascend_wr32(stream->vdev,
			     VASCEND_DOORBELL(stream->qid) + VASCEND_DB_CQ_HEAD,
			     stream->cq_head);
		spin_unlock(&stream->cq_db_lock);
	}
	return n;
}

static void vascend_stream_process(struct vascend_stream *stream)
{
	u32 head;

	spin_lock(&stream->lock);
	if (!stream->hw_live || !vascend_stream_take_cqes_locked(stream)) {
		spin_unlock(&stream->lock);
		return;
	}
	vascend_stream_notify_locked(stream);
	/*
	 * Return the slots with stream->lock dropped (see
	 * vascend_stream_db_fence_locked()): the device holds a CQE while
	 * the ring looks full, so the late head costs nothing.
	 */
	head = stream->cq_head;
	spin_lock(&stream->cq_db_lock);
	spin_unlock(&stream->lock);
	vascend_wr32(stream->vdev,
		     VASCEND_DOORBELL(stream->qid) + VASCEND_DB_CQ_HEAD, head);
	spin_unlock(&stream->cq_db_lock);
}

/* The CQ handler of one IO vector: every stream on it. */
static void vascend_streams_irq(struct vascend_device *vdev, void *data)
{
	struct vascend_streams *streams = &vdev->streams;
	u32 vector = (uintptr_t)data;
	struct vascend_stream *stream;
	unsigned int qid;

	spin_lock(&streams->lock);
	qid = 1;
	for_each_set_bit_from(qid, streams->qids, VASCEND_MAX_QUEUES) {
		stream = streams->queues[qid];
		if (stream && stream->vector == vector)
			vascend_stream_process(stream);
	}
	spin_unlock(&streams->lock);
}

static void vascend_stream_free_rings(struct vascend_stream *stream)
{
	struct device *dev = vascend_to_dev(stream->vdev);
	size_t sq_size = stream->depth * sizeof(struct vascend_sqe);
	size_t cq_size = stream->depth * sizeof(struct vascend_cqe);

	if (stream->sq)
		dma_free_coherent(dev, sq_size, stream->sq, stream->sq_addr);
	if (stream->cq)
		dma_free_coherent(dev, cq_size, stream->cq, stream->cq_addr);
	stream->sq = NULL;
	stream->cq = NULL;
}

static int vascend_stream_alloc_rings(struct vascend_stream *stream)
{
	struct device *dev = vascend_to_dev(stream->vdev);

	/* Coherent allocations are page aligned: the device wants 4 KiB. */
	stream->sq = dma_alloc_coherent(dev, stream->depth * sizeof(struct vascend_sqe),
					&stream->sq_addr, GFP_KERNEL);
	stream->cq = dma_alloc_coherent(dev, stream->depth * sizeof(struct vascend_cqe),
					&stream->cq_addr, GFP_KERNEL);
	if (!stream->sq || !stream->cq) {
		vascend_stream_free_rings(stream);
		return -ENOMEM;
	}
	return 0;
}

/* Empty rings, as a new device queue expects them. */
static void vascend_stream_reset_rings_locked(struct vascend_stream *stream)
{
	lockdep_assert_held(&stream->lock);

	vascend_stream_db_fence_locked(stream);
	memset(stream->sq, 0, stream->depth * sizeof(struct vascend_sqe));
	memset(stream->cq, 0, stream->depth * sizeof(struct vascend_cqe));
	stream->sq_tail = 0;
	stream->cq_head = 0;
	stream->phase = VASCEND_CQE_F_PHASE;
}

static int vascend_stream_create_queue(struct vascend_stream *stream,
				       struct vascend_cqe *cqe)
{
	struct vascend_sqe sqe = {
		.opcode = VASCEND_ADMIN_CREATE_QUEUE,
		.u.queue = {
			.qid = stream->qid,
			.vector = stream->vector,
			.ctx_id = stream->ctx_id,
			.sq_base = stream->sq_addr,
			.cq_base = stream->cq_addr,
			.depth = stream->depth,
			.coalesce_count = min_t(u16, READ_ONCE(vascend_coalesce_count),
						stream->depth / 2),
			.coalesce_usecs = READ_ONCE(vascend_coalesce_usecs),
		},
	};

	return vascend_admin_exec(stream->vdev, &sqe, cqe,
				  VASCEND_ADMIN_TIMEOUT_MS);
}

static int vascend_stream_queue_cmd(struct vascend_stream *stream, u8 opcode,
				    struct vascend_cqe *cqe)
{
	struct vascend_sqe sqe = {
		.opcode = opcode,
		.u.queue.qid = stream->qid,
	};

	return vascend_admin_exec(stream->vdev, &sqe, cqe,
				  VASCEND_ADMIN_TIMEOUT_MS);
}

/*
 * Take the stream off the card for good: no CQ processing, no qid, no
 * rings. Its unfinished tasks are aborted and its waiters woken.
 */
static void vascend_stream_gone_locked(struct vascend_stream *stream)
{
	struct vascend_streams *streams = &stream->vdev->streams;

	lockdep_assert_held(&streams->list_lock);

	if (stream->state == VASCEND_STREAM_GONE)
		return;

	spin_lock(&streams->lock);
	if (streams->queues[stream->qid] == stream)
		streams->queues[stream->qid] = NULL;
	clear_bit(stream->qid, streams->qids);
	spin_unlock(&streams->lock);

	spin_lock(&stream->lock);
	stream->hw_live = false;
	stream->state = VASCEND_STREAM_GONE;
	vascend_stream_db_fence_locked(stream);
	vascend_stream_abort_locked(stream, VASCEND_CQE_STATUS_ABORTED,
				    -ECANCELED);
	vascend_stream_notify_locked(stream);
	spin_unlock(&stream->lock);

	list_del_init(&stream->node);
	/* No CQ handler can reach the stream now: its qid slot is empty. */
	vascend_stream_free_rings(stream);
}

/*
 * Destroy the device queue and free the stream's card resources. The
 * caller holds ctl_lock. Waiters get status ABORTED, io_uring batches
 * -ECANCELED.
 */
static void vascend_stream_teardown(struct vascend_stream *stream)
{
	struct vascend_device *vdev = stream->vdev;
	struct vascend_streams *streams = &vdev->streams;
	struct vascend_cqe cqe = {};
	bool live, reset_since;
	u32 gen;
	int ret;

	lockdep_assert_held(&stream->ctl_lock);

	mutex_lock(&streams->list_lock);
	if (stream->state == VASCEND_STREAM_GONE) {
		mutex_unlock(&streams->list_lock);
		return;
	}
	spin_lock(&stream->lock);
	stream->state = VASCEND_STREAM_CLOSING;
	stream->ctl_busy = true;
	vascend_stream_db_fence_locked(stream);
	live = stream->hw_live;
	wake_up_all(&stream->wq);
	spin_unlock(&stream->lock);
	gen = streams->gen;
	mutex_unlock(&streams->list_lock);

	if (live) {
		ret = vascend_stream_queue_cmd(stream, VASCEND_ADMIN_DELETE_QUEUE,
					       &cqe);
		mutex_lock(&streams->list_lock);
		reset_since = gen != streams->gen;
		mutex_unlock(&streams->list_lock);
		/*
		 * The queue is gone when the card deleted it, never had it,
		 * was reset meanwhile, or is gone itself. Otherwise (the
		 * admin queue timed out) the card may still write the rings:
		 * they are freed only after the recovery that timeout started.
		 */
		if (ret && ret != -ENODEV && !reset_since &&
		    !(ret == -EIO && cqe.status == VASCEND_CQE_STATUS_INVALID_ID)) {
			dev_warn(vascend_to_dev(vdev),
				 "queue %u: DELETE_QUEUE failed (%pe): recovering the card before freeing its rings\n",
				 stream->qid, ERR_PTR(ret));
			vascend_reset_schedule(vdev, VASCEND_RESET_CAUSE_HANG);
			vascend_reset_wait(vdev);
		}
	} else {
		/*
		 * A recovery stopped the queue (or could not restore it):
		 * the card may run it until that recovery's reset, so the
		 * rings stay until the recovery is over.
		 */
		vascend_reset_wait(vdev);
	}

	mutex_lock(&streams->list_lock);
	vascend_stream_gone_locked(stream);
	mutex_unlock(&streams->list_lock);
}

/**
 * vascend_stream_create() - STREAM_CREATE
 * @vfile: the file
 * @depth: checked ring depth, 0 for the default
 * @id: out: the new stream's id
 *
 * Return: 0, -EMFILE, -ENOSPC (no free queue on the card), -ENOMEM, -EIO
 * (the card refused), -ETIMEDOUT, -ENODEV, or vascend_vm_get()'s error.
 */
int vascend_stream_create(struct vascend_file *vfile, u32 depth, u32 *id)
{
	struct vascend_device *vdev = vfile->vdev;
	struct vascend_streams *streams = &vdev->streams;
	struct vascend_stream *stream;
	struct vascend_cqe cqe = {};
	unsigned int slot, qid, tries;
	struct vascend_vm *vm;
	u32 gen;
	int ret;

	mutex_lock(&vfile->lock);
	if (vfile->nr_streams >= VASCEND_STREAMS_PER_FILE) {
		ret = -EMFILE;
		goto out_unlock;
	}
	for (slot = 0; vfile->streams[slot]; slot++)
		;

	if (!vfile->vm) {
		vm = vascend_vm_get(vdev);
		if (IS_ERR(vm)) {
			ret = PTR_ERR(vm);
			dev_dbg_ratelimited(vascend_to_dev(vdev),
					    "STREAM_CREATE: no device context: %pe\n",
					    vm);
			goto out_unlock;
		}
		WRITE_ONCE(vfile->vm, vm);
	}

	stream = kzalloc(sizeof(*stream), GFP_KERNEL);
	if (!stream) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	kref_init(&stream->ref);
	stream->vfile = vfile;
	stream->vdev = vdev;
	INIT_LIST_HEAD(&stream->node);
	mutex_init(&stream->submit_lock);
	mutex_init(&stream->ctl_lock);
	spin_lock_init(&stream->sq_db_lock);
	spin_lock_init(&stream->cq_db_lock);
	spin_lock_init(&stream->lock);
	INIT_LIST_HEAD(&stream->uring_cmds);
	init_waitqueue_head(&stream->wq);
	stream->id = slot + 1;
	stream->depth = depth ? depth : VASCEND_STREAM_DEFAULT_DEPTH;
	stream->depth = min(stream->depth, vdev->max_queue_depth);
	stream->state = VASCEND_STREAM_CREATING;
	stream->progress = jiffies;

	ret = vascend_stream_alloc_rings(stream);
	if (ret)
		goto err_put;
	spin_lock(&stream->lock);
	vascend_stream_reset_rings_locked(stream);
	spin_unlock(&stream->lock);

	spin_lock(&streams->lock);
	qid = find_next_zero_bit(streams->qids, vdev->max_queues, 1);
	if (qid >= vdev->max_queues) {
		spin_unlock(&streams->lock);
		ret = -ENOSPC;
		goto err_free_rings;
	}
	set_bit(qid, streams->qids);
	stream->qid = qid;
	stream->vector = VASCEND_IRQ_VEC_STREAM_FIRST + streams->next_vector;
	streams->next_vector = (streams->next_vector + 1) %
		(vascend_irq_count(vdev) - VASCEND_IRQ_VEC_STREAM_FIRST);
	spin_unlock(&streams->lock);

	mutex_lock(&streams->list_lock);
	list_add_tail(&stream->node, &streams->list);
	gen = streams->gen;
	mutex_unlock(&streams->list_lock);

	for (tries = 0; ; tries++) {
		/* A card reset may have rebuilt the context: ask each time. */
		stream->ctx_id = vascend_vm_ctx_id(vfile->vm);
		ret = vascend_stream_create_queue(stream, &cqe);

		mutex_lock(&streams->list_lock);
		if (gen == streams->gen)
			break;
		/*
		 * A card reset came in between: the queue is gone if it was
		 * made before the reset, and exists if after. Make sure it is
		 * gone, then start again on empty rings.
		 */
		gen = streams->gen;
		mutex_unlock(&streams->list_lock);
		vascend_stream_queue_cmd(stream, VASCEND_ADMIN_DELETE_QUEUE, &cqe);
		spin_lock(&stream->lock);
		vascend_stream_reset_rings_locked(stream);
		spin_unlock(&stream->lock);
		if (tries + 1 >= VASCEND_STREAM_CREATE_TRIES) {
			ret = -EIO;
			mutex_lock(&streams->list_lock);
			break;
		}
	}
	if (ret) {
		/* list_lock held */
		if (ret == -EIO)
			dev_dbg_ratelimited(vascend_to_dev(vdev),
					    "STREAM_CREATE: card refused queue %u: %s\n",
					    qid, vascend_cqe_status_name(cqe.status));
		vascend_stream_gone_locked(stream);
		mutex_unlock(&streams->list_lock);
		goto err_put;
	}
	spin_lock(&streams->lock);
	streams->queues[qid] = stream;
	spin_unlock(&streams->lock);
	spin_lock(&stream->lock);
	stream->state = VASCEND_STREAM_LIVE;
	stream->hw_live = true;
	spin_unlock(&stream->lock);
	mutex_unlock(&streams->list_lock);

	vfile->streams[slot] = stream;
	WRITE_ONCE(vfile->nr_streams, vfile->nr_streams + 1);
	*id = stream->id;
	mutex_unlock(&vfile->lock);
	return 0;

err_free_rings:
	vascend_stream_free_rings(stream);
err_put:
	vascend_stream_put(stream);
out_unlock:
	mutex_unlock(&vfile->lock);
	return ret;
}

/**
 * vascend_stream_destroy() - STREAM_DESTROY
 * @vfile: the file
 * @id: the stream
 *
 * Return: 0, or -EINVAL (no such stream).
 */
int vascend_stream_destroy(struct vascend_file *vfile, u32 id)
{
	struct vascend_stream *stream;

	if (!id || id > VASCEND_STREAMS_PER_FILE)
		return -EINVAL;
	mutex_lock(&vfile->lock);
	stream = vfile->streams[id - 1];
	if (stream) {
		vfile->streams[id - 1] = NULL;
		WRITE_ONCE(vfile->nr_streams, vfile->nr_streams - 1);
	}
	mutex_unlock(&vfile->lock);
	if (!stream)
		return -EINVAL;

	mutex_lock(&stream->ctl_lock);
	vascend_stream_teardown(stream);
	mutex_unlock(&stream->ctl_lock);
	vascend_stream_put(stream);
	return 0;
}

/**
 * vascend_stream_reset() - STREAM_RESET: abort the unfinished tasks, clear
 *	the error, keep the stream
 * @stream: the stream
 *
 * Return: 0, -EINVAL (the stream is being destroyed), -EIO (the card
 * refused: the stream stays failed), -ETIMEDOUT, -ENODEV.
 */
int vascend_stream_reset(struct vascend_stream *stream)
{
	struct vascend_streams *streams = &stream->vdev->streams;
	struct vascend_cqe cqe = {};
	bool reset_since;
	u32 gen;
	int ret;

	mutex_lock(&stream->ctl_lock);
	mutex_lock(&streams->list_lock);
	spin_lock(&stream->lock);
	if (stream->state != VASCEND_STREAM_LIVE) {
		spin_unlock(&stream->lock);
		mutex_unlock(&streams->list_lock);
		ret = READ_ONCE(stream->vdev->unplugged) ? -ENODEV : -EINVAL;
		goto out_unlock;
	}
	stream->ctl_busy = true;
	vascend_stream_db_fence_locked(stream);
	spin_unlock(&stream->lock);
	gen = streams->gen;
	mutex_unlock(&streams->list_lock);

	/*
	 * The task in flight completes ABORTED before the admin command does
	 * (the device posts it first); the SQEs not started are dropped.
	 */
	ret = vascend_stream_queue_cmd(stream, VASCEND_ADMIN_RESET_QUEUE, &cqe);

	mutex_lock(&streams->list_lock);
	reset_since = gen != streams->gen;
	spin_lock(&stream->lock);
	stream->ctl_busy = false;
	/* After a card reset the queue is new and empty: that is a reset too. */
	if (!ret || reset_since) {
		if (stream->hw_live)
			vascend_stream_reap_locked(stream);
		vascend_stream_abort_locked(stream, VASCEND_CQE_STATUS_ABORTED,
					    -ECANCELED);
		stream->err_status = 0;
		stream->err_info = 0;
		stream->err_seq = 0;
		stream->err_result = 0;
		ret = stream->hw_live ? 0 : ret;
	}
	vascend_stream_notify_locked(stream);
	spin_unlock(&stream->lock);
	mutex_unlock(&streams->list_lock);
	if (ret == -EIO)
		dev_dbg_ratelimited(vascend_to_dev(stream->vdev),
				    "STREAM_RESET: card refused to reset queue %u: %s\n",
				    stream->qid, vascend_cqe_status_name(cqe.status));

out_unlock:
	mutex_unlock(&stream->ctl_lock);
	return ret;
}

/* Why a submitter cannot queue now, or 0 when @room > 0 tasks fit. */
static int vascend_stream_room_locked(struct vascend_stream *stream,
				      u32 *room)
{
	lockdep_assert_held(&stream->lock);

	*room = 0;
	if (stream->state == VASCEND_STREAM_GONE ||
	    stream->state == VASCEND_STREAM_CLOSING)
		return READ_ONCE(stream->vdev->unplugged) ? -ENODEV : -EINVAL;
	if (stream->err_status)
		return -EIO;
	if (stream->hw_live && !stream->ctl_busy)
		*room = vascend_ring_space(stream->submitted, stream->completed,
					   stream->depth);
	return 0;
}

static bool vascend_stream_can_submit(struct vascend_stream *stream)
{
	u32 room;
	int ret;

	spin_lock(&stream->lock);
	ret = vascend_stream_room_locked(stream, &room);
	spin_unlock(&stream->lock);
	return ret || room;
}

/**
 * vascend_stream_submit() - queue checked tasks and ring the doorbell
 * @stream: the stream
 * @tasks: @count tasks vascend_check_task() accepted
 * @count: 1..VASCEND_SUBMIT_MAX
 * @nonblock: fail with -EAGAIN rather than sleep (for a lock or for room)
 * @seq: out: seq of the last task queued
 *
 * Sleeps (killable) while the ring is full, queueing as many tasks as fit
 * each time: the batch's seqs are contiguous either way. With @nonblock
 * the whole batch fits at once or nothing is queued.
 *
 * Return: 0, -EAGAIN, -EIO (the stream has an unreset error), -EINVAL
 * (destroyed meanwhile), -ENODEV, -EINTR (killed: the tasks queued so far
 * stay queued).
 */
int vascend_stream_submit(struct vascend_stream *stream,
			  const struct vascend_task *tasks, u32 count,
			  bool nonblock, u64 *seq)
{
	struct vascend_device *vdev = stream->vdev;
	u32 done = 0, room, n, i, tail;
	int ret = 0;

	if (nonblock) {
		if (!mutex_trylock(&stream->submit_lock))
			return -EAGAIN;
	} else if (mutex_lock_killable(&stream->submit_lock)) {
		return -EINTR;
	}

	while (done < count) {
		spin_lock(&stream->lock);
		ret = vascend_stream_room_locked(stream, &room);
		if (ret) {
			spin_unlock(&stream->lock);
			break;
		}
		if (nonblock && room < count) {
			spin_unlock(&stream->lock);
			ret = -EAGAIN;
			break;
		}
		if (!room) {
			spin_unlock(&stream->lock);
			if (wait_event_killable(stream->wq,
						vascend_stream_can_submit(stream))) {
				ret = -EINTR;
				break;
			}
			continue;
		}

		n = min(room, count - done);
		if (stream->submitted == stream->completed) {
			stream->progress = jiffies;
			stream->idle_submit_ns = ktime_get_ns();
		}
		for (i = 0; i < n; i++) {
			vascend_task_to_sqe(&tasks[done + i],
					    lower_32_bits(stream->submitted + 1 + i),
					    &stream->sq[stream->sq_tail]);
			stream->sq_tail = vascend_ring_add(stream->sq_tail, 1,
							   stream->depth);
		}
		/*
		 * A batch's end is what its submitter waits for: its last
		 * task interrupts at once; coalescing applies within batches.
		 */
		if (done + n == count)
			stream->sq[vascend_ring_add(stream->sq_tail, stream->depth - 1,
						    stream->depth)].flags |= VASCEND_SQE_F_IRQ_NOW;
		stream->submitted += n;
		done += n;
		trace_vascend_submit(vdev->index, stream->qid,
				     stream->submitted - n + 1, n);
		*seq = stream->submitted;
		/*
		 * Ring with stream->lock dropped (see
		 * vascend_stream_db_fence_locked()); submit_lock keeps the
		 * tails in order. writel() orders the SQE writes before it.
		 */
		tail = stream->sq_tail;
		spin_lock(&stream->sq_db_lock);
		spin_unlock(&stream->lock);
		vascend_wr32(vdev, VASCEND_DOORBELL(stream->qid) + VASCEND_DB_SQ_TAIL,
			     tail);
		spin_unlock(&stream->sq_db_lock);
	}

	mutex_unlock(&stream->submit_lock);
	return ret;
}

static bool vascend_stream_wait_done(struct vascend_stream *stream, u64 seq)
{
	bool done;

	spin_lock(&stream->lock);
	done = stream->completed >= seq || stream->err_status ||
	       stream->state == VASCEND_STREAM_GONE;
	spin_unlock(&stream->lock);
	return done;
}

/*
 * Poll for task @seq for up to wait_poll_usecs (see there). No cpu_relax():
 * under TCG a PAUSE leaves the translated code and takes QEMU's big lock,
 * which the device needs to complete the very task polled for.
 */
static bool vascend_stream_poll(struct vascend_stream *stream, u64 seq)
{
	u64 budget = (u64)READ_ONCE(vascend_wait_poll_usecs) * NSEC_PER_USEC;
	u64 start, now, lat;
	bool done = false;

	spin_lock(&stream->lock);
	lat = stream->lat_ns;
	spin_unlock(&stream->lock);
	start = ktime_get_ns();
	now = start;
	if (budget && lat <= budget) {
		do {
			vascend_stream_process(stream);
			done = vascend_stream_wait_done(stream, seq);
			now = ktime_get_ns();
		} while (!done && !need_resched() && !signal_pending(current) &&
			 now - start < budget);
	}
	trace_vascend_wait_poll(stream->vdev->index, stream->qid, stream->id,
				seq, lat, now - start, done);
	return done;
}

/**
 * vascend_stream_wait() - WAIT
 * @stream: the stream
 * @w: the checked argument; its out fields are filled
 *
 * Return: 0 (done or failed: @w->status says which), -ETIMEDOUT (out
 * fields filled all the same), -EINVAL (@w->seq was never submitted),
 * -ERESTARTSYS (a signal), -ENODEV.
 */
int vascend_stream_wait(struct vascend_stream *stream, struct vascend_wait *w)
{
	bool done, polled;
	long left;
	u64 seq;

	spin_lock(&stream->lock);
	seq = w->seq ? w->seq : stream->submitted;
	if (seq > stream->submitted) {
		spin_unlock(&stream->lock);
		return -EINVAL;
	}
	spin_unlock(&stream->lock);

	/*
	 * -ERESTARTSYS on a signal: a handler without SA_RESTART makes it
	 * EINTR, and io_uring's task-work notifications (TIF_NOTIFY_SIGNAL)
	 * restart the call instead of failing it. A restarted timed WAIT
	 * waits its whole timeout again.
	 */
	polled = w->timeout_ms && vascend_stream_poll(stream, seq);
	if (!polled && w->timeout_ms == VASCEND_WAIT_FOREVER) {
		if (wait_event_interruptible(stream->wq,
					     vascend_stream_wait_done(stream, seq)))
			return -ERESTARTSYS;
	} else if (!polled && w->timeout_ms) {
		left = wait_event_interruptible_timeout(stream->wq,
							vascend_stream_wait_done(stream, seq),
							msecs_to_jiffies(w->timeout_ms));
		if (left < 0)
			return -ERESTARTSYS;
	}

	spin_lock(&stream->lock);
	done = stream->completed >= seq || stream->err_status ||
	       stream->state == VASCEND_STREAM_GONE;
	w->completed = stream->completed;
	w->status = stream->err_status;
	w->err_info = stream->err_info;
	w->err_seq = stream->err_seq;
	w->err_result = stream->err_result;
	w->start_ts = stream->start_ts;
	w->end_ts = stream->end_ts;
	stream->reported = max(stream->reported, stream->completed);
	spin_unlock(&stream->lock);

	if (READ_ONCE(stream->vdev->unplugged))
		return -ENODEV;
	return done ? 0 : -ETIMEDOUT;
}

/**
 * vascend_stream_set_eventfd() - STREAM_EVENTFD
 * @stream: the stream
 * @fd: an eventfd, or -1 to detach
 *
 * Return: 0, -EBADF (not an open file), -EINVAL (not an eventfd).
 */
int vascend_stream_set_eventfd(struct vascend_stream *stream, int fd)
{
	struct eventfd_ctx *efd = NULL, *old;

	if (fd >= 0) {
		efd = eventfd_ctx_fdget(fd);
		if (IS_ERR(efd))
			return PTR_ERR(efd);
	}
	spin_lock(&stream->lock);
	old = stream->efd;
	stream->efd = efd;
	spin_unlock(&stream->lock);
	if (old)
		eventfd_ctx_put(old);
	return 0;
}

/**
 * vascend_stream_add_uring() - wait for a batch through io_uring
 * @stream: the stream; on -EIOCBQUEUED the command owns this reference
 * @cmd: the io_uring command
 * @seq: seq of the batch's last task
 *
 * Return: -EIOCBQUEUED when the command completes later, else the result
 * it completes with now.
 */
int vascend_stream_add_uring(struct vascend_stream *stream,
			     struct io_uring_cmd *cmd, u64 seq)
{
	struct vascend_uring_pdu *pdu = vascend_uring_pdu(cmd);
	int res;

	spin_lock(&stream->lock);
	res = vascend_stream_uring_result_locked(stream, seq);
	if (res > 0) {
		pdu->stream = stream;
		pdu->seq = seq;
		list_add_tail(&pdu->node, &stream->uring_cmds);
		res = -EIOCBQUEUED;
	}
	spin_unlock(&stream->lock);
	return res;
}

/**
 * vascend_stream_cancel_uring() - io_uring gives up on a command
 * @stream: the stream the command waits on
 * @cmd: the command
 *
 * Return: true when the command was still pending: it is taken off the
 * stream and the caller completes it; false when it is completing already.
 */
bool vascend_stream_cancel_uring(struct vascend_stream *stream,
				 struct io_uring_cmd *cmd)
{
	struct vascend_uring_pdu *pdu = vascend_uring_pdu(cmd);
	bool pending;

	spin_lock(&stream->lock);
	pending = !list_empty(&pdu->node);
	if (pending)
		list_del_init(&pdu->node);
	spin_unlock(&stream->lock);
	return pending;
}

/* Card reset, step 1: stop every stream, abort what it had in flight. */
static void vascend_streams_prepare(struct vascend_device *vdev, void *data)
{
	struct vascend_streams *streams = &vdev->streams;
	struct vascend_stream *stream;

	mutex_lock(&streams->list_lock);
	streams->gen++;
	list_for_each_entry(stream, &streams->list, node) {
		spin_lock(&stream->lock);
		if (stream->hw_live)
			vascend_stream_reap_locked(stream);
		stream->hw_live = false;
		vascend_stream_db_fence_locked(stream);
		vascend_stream_abort_locked(stream, VASCEND_CQE_STATUS_ABORTED,
					    -EIO);
		vascend_stream_notify_locked(stream);
		spin_unlock(&stream->lock);
	}
	mutex_unlock(&streams->list_lock);
}

/* Card reset, step 2: every surviving stream gets a new, empty queue. */
static int vascend_streams_restore(struct vascend_device *vdev, void *data)
{
	struct vascend_streams *streams = &vdev->streams;
	struct vascend_stream *stream;
	struct vascend_cqe cqe = {};
	int ret;

	mutex_lock(&streams->list_lock);
	list_for_each_entry(stream, &streams->list, node) {
		if (stream->state != VASCEND_STREAM_LIVE)
			continue;
		spin_lock(&stream->lock);
		vascend_stream_reset_rings_locked(stream);
		spin_unlock(&stream->lock);

		stream->ctx_id = vascend_vm_ctx_id(stream->vfile->vm);
		ret = vascend_stream_create_queue(stream, &cqe);

		spin_lock(&stream->lock);
		if (ret) {
			dev_err(vascend_to_dev(vdev),
				"queue %u not restored after reset: %pe (%s): the stream stays failed\n",
				stream->qid, ERR_PTR(ret),
				vascend_cqe_status_name(cqe.status));
			if (!stream->err_status) {
				stream->err_status = VASCEND_CQE_STATUS_ABORTED;
				stream->err_seq = stream->completed + 1;
			}
		} else {
			stream->hw_live = true;
			stream->progress = jiffies;
		}
		vascend_stream_notify_locked(stream);
		spin_unlock(&stream->lock);
	}
	mutex_unlock(&streams->list_lock);
	return 0;
}

/**
 * vascend_streams_watchdog() - look for a task that runs too long
 * @vdev: the card
 * @timeout_ms: how long the oldest unfinished task of a stream may take
 *
 * A stream parked in EVENT_WAIT is waiting for userspace, not hung.
 *
 * Return: true when some stream's oldest task outlived @timeout_ms.
 */
bool vascend_streams_watchdog(struct vascend_device *vdev,
			      unsigned int timeout_ms)
{
	struct vascend_streams *streams = &vdev->streams;
	unsigned long limit = msecs_to_jiffies(timeout_ms);
	struct vascend_stream *stream;
	bool hung = false;
	unsigned int qid;
	u32 slot;
	u8 op;

	spin_lock(&streams->lock);
	qid = 1;
	for_each_set_bit_from(qid, streams->qids, VASCEND_MAX_QUEUES) {
		stream = streams->queues[qid];
		if (!stream)
			continue;
		spin_lock(&stream->lock);
		if (stream->hw_live && !stream->err_status &&
		    stream->submitted != stream->completed &&
		    time_after(jiffies, stream->progress + limit)) {
			slot = vascend_ring_slot_of(stream->sq_tail,
						    stream->submitted,
						    stream->completed + 1,
						    stream->depth);
			op = stream->sq[slot].opcode;
			if (op != VASCEND_OP_EVENT_WAIT) {
				dev_err(vascend_to_dev(vdev),
					"queue %u: task %llu (opcode 0x%02x) still running after %u ms\n",
					qid, stream->completed + 1, op,
					timeout_ms);
				hung = true;
			}
		}
		spin_unlock(&stream->lock);
		if (hung)
			break;
	}
	spin_unlock(&streams->lock);
	return hung;
}

/**
 * vascend_file_open() - state of a new /dev/davinciN file
 * @vdev: the card
 *
 * Return: the file's state, or ERR_PTR(-ENOMEM).
 */
struct vascend_file *vascend_file_open(struct vascend_device *vdev)
{
	struct vascend_streams *streams = &vdev->streams;
	struct vascend_file *vfile;

	vfile = kzalloc(sizeof(*vfile), GFP_KERNEL);
	if (!vfile)
		return ERR_PTR(-ENOMEM);
	vfile->vdev = vdev;
	vfile->tgid = get_task_pid(current, PIDTYPE_TGID);
	mutex_init(&vfile->lock);
	init_waitqueue_head(&vfile->poll_wq);

	mutex_lock(&streams->list_lock);
	list_add_tail(&vfile->node, &streams->files);
	mutex_unlock(&streams->list_lock);
	return vfile;
}

/**
 * vascend_file_is_owner() - is the caller the process that opened the file?
 * @vfile: the file
 *
 * Streams run in the opener's device address space: only the opener (its
 * threads, io_uring's workers included) may use them, not a child after
 * fork() or a process the descriptor was passed to.
 *
 * Return: true for the opener.
 */
bool vascend_file_is_owner(struct vascend_file *vfile)
{
	return task_tgid(current) == vfile->tgid;
}

/**
 * vascend_file_close() - the file's last reference is gone: destroy its
 *	streams and drop its device address space
 * @vfile: the file; freed
 */
void vascend_file_close(struct vascend_file *vfile)
{
	struct vascend_streams *streams = &vfile->vdev->streams;
	struct vascend_stream *stream;
	unsigned int i;

	for (i = 0; i < VASCEND_STREAMS_PER_FILE; i++) {
		stream = vfile->streams[i];
		if (!stream)
			continue;
		vfile->streams[i] = NULL;
		mutex_lock(&stream->ctl_lock);
		vascend_stream_teardown(stream);
		mutex_unlock(&stream->ctl_lock);
		vascend_stream_put(stream);
	}

	mutex_lock(&streams->list_lock);
	list_del(&vfile->node);
	mutex_unlock(&streams->list_lock);

	if (vfile->vm)
		vascend_vm_put(vfile->vm);
	put_pid(vfile->tgid);
	mutex_destroy(&vfile->lock);
	kfree(vfile);
}

/**
 * vascend_file_poll() - poll()/epoll on /dev/davinciN
 * @vfile: the file
 * @file: the struct file
 * @wait: the poll table
 *
 * Return: EPOLLIN while a stream has completions no WAIT has reported,
 * EPOLLPRI while one has an error, EPOLLERR once the card is gone or dead.
 */
__poll_t vascend_file_poll(struct vascend_file *vfile, struct file *file,
			   struct poll_table_struct *wait)
{
	struct vascend_device *vdev = vfile->vdev;
	struct vascend_stream *stream;
	__poll_t mask = 0;
	unsigned int i;
	u32 state;

	poll_wait(file, &vfile->poll_wq, wait);

	vascend_reset_get_health(vdev, &state, NULL, NULL, NULL);
	if (READ_ONCE(vdev->unplugged) || state == VASCEND_CARD_DEAD)
		mask |= EPOLLERR;

	mutex_lock(&vfile->lock);
	for (i = 0; i < VASCEND_STREAMS_PER_FILE; i++) {
		stream = vfile->streams[i];
		if (!stream)
			continue;
		spin_lock(&stream->lock);
		if (stream->completed != stream->reported)
			mask |= EPOLLIN | EPOLLRDNORM;
		if (stream->err_status)
			mask |= EPOLLPRI;
		spin_unlock(&stream->lock);
	}
	mutex_unlock(&vfile->lock);
	return mask;
}

/**
 * vascend_streams_count_procs() - fill in MGR_PROCS' stream counts
 * @vdev: the card
 * @entries: processes as vascend_mem_proc_usage() listed them
 * @n: entries at @entries
 *
 * Adds, to the entry with the same pid (in the caller's namespace), the
 * streams of every file that process opened.
 */
void vascend_streams_count_procs(struct vascend_device *vdev,
				 struct vascend_mgr_proc_entry *entries,
				 u32 n)
{
	struct vascend_streams *streams = &vdev->streams;
	struct vascend_file *vfile;
	pid_t pid;
	u32 i;

	mutex_lock(&streams->list_lock);
	list_for_each_entry(vfile, &streams->files, node) {
		pid = pid_vnr(vfile->tgid);
		for (i = 0; i < n; i++) {
			if (entries[i].pid == pid) {
				entries[i].streams += READ_ONCE(vfile->nr_streams);
				break;
			}
		}
	}
	mutex_unlock(&streams->list_lock);
}

static const char *vascend_stream_state_name(enum vascend_stream_state state)
{
	switch (state) {
	case VASCEND_STREAM_CREATING:
		return "creating";
	case VASCEND_STREAM_LIVE:
		return "live";
	case VASCEND_STREAM_CLOSING:
		return "closing";
	default:
		return "gone";
	}
}

/**
 * vascend_streams_debugfs_show() - one line per IO queue, for debugfs
 * @vdev: the card
 * @m: the seq_file
 */
void vascend_streams_debugfs_show(struct vascend_device *vdev,
				  struct seq_file *m)
{
	struct vascend_streams *streams = &vdev->streams;
	struct vascend_stream *stream;
	u32 db_sq, db_cq;

	seq_puts(m, "qid pid stream ctx vector depth state sq_tail db_sq_tail cq_head db_cq_head phase submitted completed err_status err_seq\n");
	mutex_lock(&streams->list_lock);
	list_for_each_entry(stream, &streams->list, node) {
		db_sq = 0;
		db_cq = 0;
		spin_lock(&stream->lock);
		if (stream->hw_live) {
			db_sq = vascend_rd32(vdev, VASCEND_DOORBELL(stream->qid) +
					     VASCEND_DB_SQ_TAIL);
			db_cq = vascend_rd32(vdev, VASCEND_DOORBELL(stream->qid) +
					     VASCEND_DB_CQ_HEAD);
		}
		seq_printf(m, "%u %d %u %u %u %u %s%s %u %u %u %u %u %llu %llu 0x%02x %llu\n",
			   stream->qid, pid_nr(stream->vfile->tgid), stream->id,
			   stream->ctx_id, stream->vector, stream->depth,
			   vascend_stream_state_name(stream->state),
			   stream->hw_live ? "" : "(stopped)",
			   stream->sq_tail, db_sq, stream->cq_head, db_cq,
			   stream->phase, stream->submitted, stream->completed,
			   stream->err_status, stream->err_seq);
		spin_unlock(&stream->lock);
	}
	mutex_unlock(&streams->list_lock);
}

/**
 * vascend_streams_init() - the card's stream registry and CQ handlers
 * @vdev: the card, MSI-X enabled, recovery initialised
 *
 * Return: 0, or a negative errno (logged).
 */
int vascend_streams_init(struct vascend_device *vdev)
{
	struct vascend_streams *streams = &vdev->streams;
	unsigned int v;
	int ret;

	mutex_init(&streams->list_lock);
	INIT_LIST_HEAD(&streams->list);
	INIT_LIST_HEAD(&streams->files);
	spin_lock_init(&streams->lock);
	bitmap_zero(streams->qids, VASCEND_MAX_QUEUES);
	set_bit(0, streams->qids);	/* the admin queue */

	for (v = VASCEND_IRQ_VEC_STREAM_FIRST; v < vascend_irq_count(vdev); v++) {
		ret = vascend_irq_set_handler(vdev, v, vascend_streams_irq,
					      (void *)(uintptr_t)v);
		if (ret) {
			dev_err(vascend_to_dev(vdev),
				"cannot install the IO queue handler on vector %u: %pe\n",
				v, ERR_PTR(ret));
			goto err_remove;
		}
	}

	streams->reset_client.prepare = vascend_streams_prepare;
	streams->reset_client.restore = vascend_streams_restore;
	vascend_reset_client_add(vdev, &streams->reset_client);
	vdev->uapi_caps |= VASCEND_CAP_STREAMS | VASCEND_CAP_URING_CMD;
	return 0;

err_remove:
	while (v-- > VASCEND_IRQ_VEC_STREAM_FIRST)
		vascend_irq_set_handler(vdev, v, NULL, NULL);
	mutex_destroy(&streams->list_lock);
	return ret;
}

/**
 * vascend_streams_unplug() - the card is going away: every stream loses
 *	its queue and rings now; open files keep only their waiters' answers
 * @vdev: the card, reset (no queue runs)
 */
void vascend_streams_unplug(struct vascend_device *vdev)
{
	struct vascend_streams *streams = &vdev->streams;
	struct vascend_stream *stream, *tmp;
	struct vascend_file *vfile;

	mutex_lock(&streams->list_lock);
	list_for_each_entry_safe(stream, tmp, &streams->list, node)
		vascend_stream_gone_locked(stream);
	list_for_each_entry(vfile, &streams->files, node)
		wake_up_interruptible(&vfile->poll_wq);
	mutex_unlock(&streams->list_lock);
}

/**
 * vascend_streams_fini() - undo vascend_streams_init()
 * @vdev: the card, after vascend_streams_unplug()
 */
void vascend_streams_fini(struct vascend_device *vdev)
{
	unsigned int v;

	vascend_reset_client_remove(vdev, &vdev->streams.reset_client);
	for (v = VASCEND_IRQ_VEC_STREAM_FIRST; v < vascend_irq_count(vdev); v++)
		vascend_irq_set_handler(vdev, v, NULL, NULL);
}
