// SPDX-License-Identifier: GPL-2.0-only
/*
 * io_uring submission: IORING_OP_URING_CMD on /dev/davinciN with cmd_op
 * VASCEND_URING_CMD_SUBMIT and struct vascend_uring_submit in the SQE's
 * 16-byte command area. The tasks are checked and queued as SUBMIT does;
 * the command then waits on the stream (struct vascend_uring_pdu in its pdu
 * area) and completes when the batch's last task has: 0, -EIO when the
 * stream failed, -ECANCELED when it was reset or destroyed.
 *
 * Issued with IO_URING_F_NONBLOCK, a command that would sleep (ring full,
 * another submitter on the stream) returns -EAGAIN and io_uring issues it
 * again from a worker that may sleep. Completion is deferred to the
 * submitting task (io_uring_cmd_complete_in_task()), since the CQ handler
 * runs in an interrupt thread. On kernels with IO_URING_F_CANCEL (6.7+) a
 * pending command is cancelable, so a ring torn down with a batch parked on
 * an EVENT_WAIT does not wait for it.
 */

#include <linux/fs.h>
#include <linux/slab.h>
/* Kbuild finds out which the headers have (6.7 moved and extended the API). */
#ifdef VASCEND_HAVE_IO_URING_CMD_H
#include <linux/io_uring/cmd.h>
#else
#include <linux/io_uring.h>
#endif
#ifdef VASCEND_HAVE_IO_URING_CANCEL
#define VASCEND_URING_HAS_CANCEL	1
#else
#define VASCEND_URING_HAS_CANCEL	0
#endif

#include <uapi/vascend_davinci.h>

#include "vascend_drv.h"
#include "vascend_stream.h"
#include "vascend_task_check.h"
#include "vascend_uring.h"

static_assert(sizeof(struct vascend_uring_submit) == 16);
static_assert(sizeof(struct vascend_uring_pdu) <=
	      sizeof_field(struct io_uring_cmd, pdu));

/**
 * vascend_uring_pdu() - a command's private area
 * @cmd: the command
 *
 * Return: its struct vascend_uring_pdu.
 */
struct vascend_uring_pdu *vascend_uring_pdu(struct io_uring_cmd *cmd)
{
	return (struct vascend_uring_pdu *)cmd->pdu;
}

static struct io_uring_cmd *vascend_uring_cmd_of(struct vascend_uring_pdu *pdu)
{
	return container_of((void *)pdu, struct io_uring_cmd, pdu);
}

/* The command area of the SQE: 16 bytes, read once. */
static void vascend_uring_read_args(struct io_uring_cmd *cmd,
				    struct vascend_uring_submit *args)
{
#ifdef VASCEND_HAVE_IO_URING_CMD_H
	const struct vascend_uring_submit *src = io_uring_sqe_cmd(cmd->sqe);
#else
	const struct vascend_uring_submit *src = cmd->cmd;
#endif

	/* The SQE is shared with userspace: each field is read once. */
	args->stream_id = READ_ONCE(src->stream_id);
	args->count = READ_ONCE(src->count);
	args->tasks = READ_ONCE(src->tasks);
}

/* Runs in the submitting task's context. */
static void vascend_uring_done_tw(struct io_uring_cmd *cmd,
				  unsigned int issue_flags)
{
	struct vascend_uring_pdu *pdu = vascend_uring_pdu(cmd);
	struct vascend_stream *stream = pdu->stream;

	io_uring_cmd_done(cmd, pdu->res, 0, issue_flags);
	vascend_stream_put(stream);
}

/**
 * vascend_uring_finish() - a pending command's batch is over
 * @pdu: the command's pdu, on its stream's list (the stream's lock held)
 * @res: its result
 *
 * Takes the command off the list and completes it in its task's context.
 */
void vascend_uring_finish(struct vascend_uring_pdu *pdu, int res)
{
	list_del_init(&pdu->node);
	pdu->res = res;
	io_uring_cmd_complete_in_task(vascend_uring_cmd_of(pdu),
				      vascend_uring_done_tw);
}

#if VASCEND_URING_HAS_CANCEL
static int vascend_uring_cancel(struct io_uring_cmd *cmd,
				unsigned int issue_flags)
{
	struct vascend_uring_pdu *pdu = vascend_uring_pdu(cmd);
	struct vascend_stream *stream = pdu->stream;

	if (vascend_stream_cancel_uring(stream, cmd)) {
		io_uring_cmd_done(cmd, -ECANCELED, 0, issue_flags);
		vascend_stream_put(stream);
	}
	return 0;
}
#endif

static int vascend_uring_submit(struct vascend_file *vfile,
				struct io_uring_cmd *cmd,
				unsigned int issue_flags)
{
	struct vascend_device *vdev = vfile->vdev;
	struct device *dev = vascend_to_dev(vdev);
	bool nonblock = issue_flags & IO_URING_F_NONBLOCK;
	struct vascend_check_limits lim = {
		.aicore_count = vdev->aicore_count,
		.max_depth = vdev->max_queue_depth,
	};
	struct vascend_uring_submit args;
	struct vascend_stream *stream;
	struct vascend_task *tasks;
	u32 i;
	u64 seq;
	int ret;

	vascend_uring_read_args(cmd, &args);
	ret = vascend_check_uring_submit(&args);
	if (ret) {
		dev_dbg_ratelimited(dev, "URING_CMD_SUBMIT: %s\n",
				    vascend_check_err_name(ret));
		return -EINVAL;
	}

	stream = vascend_stream_get(vfile, args.stream_id);
	if (!stream) {
		dev_dbg_ratelimited(dev, "URING_CMD_SUBMIT: no stream %u\n",
				    args.stream_id);
		return -EINVAL;
	}

	tasks = memdup_array_user(u64_to_user_ptr(args.tasks), args.count,
				  sizeof(*tasks));
	if (IS_ERR(tasks)) {
		ret = PTR_ERR(tasks);
		goto out_put;
	}
	for (i = 0; i < args.count; i++) {
		ret = vascend_check_task(&tasks[i], &lim);
		if (ret) {
			dev_dbg_ratelimited(dev, "URING_CMD_SUBMIT: task %u: %s\n",
					    i, vascend_check_err_name(ret));
			ret = -EINVAL;
			goto out_free;
		}
	}

	ret = vascend_stream_submit(stream, tasks, args.count, nonblock, &seq);
	if (ret)
		goto out_free;
	kfree(tasks);

	/* Before it is cancelable: a cancel finds nothing pending yet. */
	INIT_LIST_HEAD(&vascend_uring_pdu(cmd)->node);
	vascend_uring_pdu(cmd)->stream = stream;
#if VASCEND_URING_HAS_CANCEL
	io_uring_cmd_mark_cancelable(cmd, issue_flags);
#endif
	ret = vascend_stream_add_uring(stream, cmd, seq);
	if (ret == -EIOCBQUEUED)
		return ret;	/* the command holds the stream now */
#if VASCEND_URING_HAS_CANCEL
	/* Marked cancelable: only io_uring_cmd_done() unmarks it. */
	io_uring_cmd_done(cmd, ret, 0, issue_flags);
	vascend_stream_put(stream);
	return -EIOCBQUEUED;
#else
	vascend_stream_put(stream);
	return ret;
#endif

out_free:
	kfree(tasks);
out_put:
	vascend_stream_put(stream);
	return ret;
}

/**
 * vascend_uring_cmd() - the uring_cmd file operation of /dev/davinciN
 * @cmd: the command
 * @issue_flags: IO_URING_F_*
 *
 * Return: -EIOCBQUEUED (completes later), or the command's result now.
 */
int vascend_uring_cmd(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct vascend_file *vfile = cmd->file->private_data;

#if VASCEND_URING_HAS_CANCEL
	if (issue_flags & IO_URING_F_CANCEL)
		return vascend_uring_cancel(cmd, issue_flags);
#endif
	switch (cmd->cmd_op) {
	case VASCEND_URING_CMD_SUBMIT:
		if (!vascend_file_is_owner(vfile))
			return -EBADF;
		return vascend_uring_submit(vfile, cmd, issue_flags);
	default:
		dev_dbg_ratelimited(vascend_to_dev(vfile->vdev),
				    "unknown io_uring command 0x%x\n",
				    cmd->cmd_op);
		return -ENOTTY;
	}
}
