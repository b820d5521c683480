/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * io_uring: IORING_OP_URING_CMD on /dev/davinciN (VASCEND_URING_CMD_SUBMIT).
 */

#ifndef __VASCEND_URING_H__
#define __VASCEND_URING_H__

#include <linux/list.h>
#include <linux/types.h>

struct io_uring_cmd;
struct vascend_stream;

/**
 * struct vascend_uring_pdu - what a pending command keeps in its pdu area
 * @node: in vascend_stream.uring_cmds while pending; empty once completing
 * @stream: the stream whose tasks it waits for (a reference)
 * @seq: while pending, seq of the batch's last task
 * @res: once completing, the result to post
 */
struct vascend_uring_pdu {
	struct list_head node;
	struct vascend_stream *stream;
	union {
		u64 seq;
		int res;
	};
};

struct vascend_uring_pdu *vascend_uring_pdu(struct io_uring_cmd *cmd);
int vascend_uring_cmd(struct io_uring_cmd *cmd, unsigned int issue_flags);
void vascend_uring_finish(struct vascend_uring_pdu *pdu, int res);

#endif /* __VASCEND_URING_H__ */
