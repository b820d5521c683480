/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Streams: one device IO queue pair per stream, owned by the /dev/davinciN
 * file that created it and bound to that process's device address space.
 */

#ifndef __VASCEND_STREAM_H__
#define __VASCEND_STREAM_H__

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <uapi/vascend_davinci.h>
#include <uapi/vascend_hw.h>
#include <uapi/vascend_queue_hw.h>

#include "vascend_reset.h"

struct eventfd_ctx;
struct io_uring_cmd;
struct pid;
struct seq_file;
struct vascend_device;
struct vascend_mgr_proc_entry;
struct vascend_task;
struct vascend_vm;

/* Where a stream is in its life; see vascend_stream.c. */
enum vascend_stream_state {
	VASCEND_STREAM_CREATING,	/* its queue is being created */
	VASCEND_STREAM_LIVE,		/* restored after a card reset */
	VASCEND_STREAM_CLOSING,		/* being destroyed: not restored */
	VASCEND_STREAM_GONE,		/* no queue, no rings: only waiters left */
};

/**
 * struct vascend_file - an open /dev/davinciN
 * @vdev: the card
 * @node: in vascend_streams.files
 * @tgid: the process that opened it (for MGR_PROCS)
 * @lock: protects @streams, @vm and @nr_streams (written under it; MGR_PROCS
 *	and debugfs read @vm and @nr_streams without it, under list_lock);
 *	taken outside vascend_streams.list_lock
 * @streams: by stream id - 1
 * @nr_streams: streams in @streams
 * @vm: the opener's device address space, taken at the first STREAM_CREATE
 * @poll_wq: poll()/epoll waiters; woken by every stream of this file
 */
struct vascend_file {
	struct vascend_device *vdev;
	struct list_head node;
	struct pid *tgid;
	struct mutex lock; /* Protects streams, nr_streams, vm */
	struct vascend_stream *streams[VASCEND_STREAMS_PER_FILE];
	u32 nr_streams;
	struct vascend_vm *vm;
	wait_queue_head_t poll_wq;
};

/**
 * struct vascend_stream - one stream, one device queue pair
 * @ref: held by the file's table, ioctls in progress and pending io_uring
 *	commands
 * @vfile: the owning file (outlives the stream's users)
 * @vdev: the card
 * @node: in vascend_streams.list
 * @id: the stream_id userspace sees (1..VASCEND_STREAMS_PER_FILE)
 * @qid: the device queue (1..max_queues-1)
 * @vector: MSI-X vector of its CQ
 * @depth: entries per ring
 * @ctx_id: the device context its tasks run in
 * @submit_lock: serialises submitters (held while one sleeps for room, so
 *	a batch's seqs are contiguous)
 * @ctl_lock: serialises STREAM_RESET and destroy
 * @sq_db_lock: held across the SQ doorbell write, which a submitter does
 *	after dropping @lock (taken with @lock held, so whoever changes what
 *	may be rung waits for a write decided before; see
 *	vascend_stream_db_fence_locked())
 * @cq_db_lock: the same for the CQ head doorbell the CQ handler writes
 * @lock: protects everything below; taken by the CQ handler
 * @state: VASCEND_STREAM_* (changed with vascend_streams.list_lock held too)
 * @hw_live: the device queue exists and the CQ is being processed
 * @ctl_busy: a STREAM_RESET or destroy is talking to the card: no SQE may
 *	be written meanwhile
 * @sq: submission ring
 * @cq: completion ring
 * @sq_addr: bus address of @sq
 * @cq_addr: bus address of @cq
 * @sq_tail: next SQ slot to write
 * @cq_head: next CQ slot to read
 * @phase: phase bit of a new CQE at @cq_head
 * @submitted: seq of the last task written to the ring
 * @completed: seq of the last task completed (successfully or not)
 * @reported: @completed as the last WAIT reported it (poll's EPOLLIN)
 * @err_status: VASCEND_CQE_STATUS_* of the first failed task, or 0
 * @err_info: its cqe.info
 * @err_seq: its seq
 * @err_result: its cqe.result
 * @start_ts: device clock when task @completed started
 * @end_ts: device clock when it ended
 * @progress: jiffies when the oldest unfinished task became the oldest
 * @idle_submit_ns: when tasks were last submitted to an idle stream, until
 *	they complete (0 otherwise)
 * @lat_ns: their submit-to-completion time, a running average: whether a
 *	WAIT polls before it sleeps (vascend_stream_wait())
 * @efd: the eventfd STREAM_EVENTFD attached, or NULL
 * @uring_cmds: pending io_uring commands, in seq order
 * @wq: WAIT and submitters waiting for room
 */
struct vascend_stream {
	struct kref ref;
	struct vascend_file *vfile;
	struct vascend_device *vdev;
	struct list_head node;
	u32 id;
	u32 qid;
	u32 vector;
	u32 depth;
	u32 ctx_id;

	struct mutex submit_lock; /* Serialises submitters */
	struct mutex ctl_lock; /* Serialises STREAM_RESET and destroy */
	spinlock_t sq_db_lock; /* Held across the SQ doorbell write */
	spinlock_t cq_db_lock; /* Held across the CQ head doorbell write */

	spinlock_t lock; /* Protects the fields below */
	enum vascend_stream_state state;
	bool hw_live;
	bool ctl_busy;
	struct vascend_sqe *sq;
	struct vascend_cqe *cq;
	dma_addr_t sq_addr;
	dma_addr_t cq_addr;
	u32 sq_tail;
	u32 cq_head;
	u16 phase;
	u64 submitted;
	u64 completed;
	u64 reported;
	u32 err_status;
	u32 err_info;
	u64 err_seq;
	u64 err_result;
	u64 start_ts;
	u64 end_ts;
	unsigned long progress;
	u64 idle_submit_ns;
	u64 lat_ns;
	struct eventfd_ctx *efd;
	struct list_head uring_cmds;
	wait_queue_head_t wq;
};

/**
 * struct vascend_streams - the IO queues of one card
 * @list_lock: protects @list, @files and @gen; held by the recovery
 *	worker across prepare and restore (never across another caller's
 *	admin command)
 * @list: every stream of the card not yet gone
 * @files: every open struct vascend_file
 * @gen: bumped by each card reset's prepare: a queue created before it is gone
 * @lock: protects @queues and @qids; taken by the CQ handlers
 * @queues: stream by qid, for the CQ handlers
 * @qids: qids in use (bit 0, the admin queue, always set)
 * @next_vector: round-robin position among the IO vectors
 * @reset_client: prepare/restore of the streams on a card reset
 */
struct vascend_streams {
	struct mutex list_lock; /* Protects list, files, gen */
	struct list_head list;
	struct list_head files;
	u32 gen;

	spinlock_t lock; /* Protects queues, qids, next_vector */
	struct vascend_stream *queues[VASCEND_MAX_QUEUES];
	DECLARE_BITMAP(qids, VASCEND_MAX_QUEUES);
	u32 next_vector;

	struct vascend_reset_client reset_client;
};

int vascend_streams_init(struct vascend_device *vdev);
void vascend_streams_fini(struct vascend_device *vdev);
void vascend_streams_unplug(struct vascend_device *vdev);
bool vascend_streams_watchdog(struct vascend_device *vdev,
			      unsigned int timeout_ms);
void vascend_streams_debugfs_show(struct vascend_device *vdev,
				  struct seq_file *m);
void vascend_streams_count_procs(struct vascend_device *vdev,
				 struct vascend_mgr_proc_entry *entries,
				 u32 n);

struct vascend_file *vascend_file_open(struct vascend_device *vdev);
void vascend_file_close(struct vascend_file *vfile);
bool vascend_file_is_owner(struct vascend_file *vfile);
__poll_t vascend_file_poll(struct vascend_file *vfile, struct file *file,
			   struct poll_table_struct *wait);

struct vascend_stream *vascend_stream_get(struct vascend_file *vfile, u32 id);
void vascend_stream_put(struct vascend_stream *stream);
int vascend_stream_create(struct vascend_file *vfile, u32 depth, u32 *id);
int vascend_stream_destroy(struct vascend_file *vfile, u32 id);
int vascend_stream_reset(struct vascend_stream *stream);
int vascend_stream_submit(struct vascend_stream *stream,
			  const struct vascend_task *tasks, u32 count,
			  bool nonblock, u64 *seq);
int vascend_stream_wait(struct vascend_stream *stream, struct vascend_wait *w);
int vascend_stream_set_eventfd(struct vascend_stream *stream, int fd);
int vascend_stream_add_uring(struct vascend_stream *stream,
			     struct io_uring_cmd *cmd, u64 seq);
bool vascend_stream_cancel_uring(struct vascend_stream *stream,
				 struct io_uring_cmd *cmd);

#endif /* __VASCEND_STREAM_H__ */
