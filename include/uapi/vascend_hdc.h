/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * vascend user <-> kernel contract for /dev/hisi_hdc: sessions with the
 * services running on a card (echo, management, log, file transfer; the
 * payload formats are in vascend_hdc_svc.h).
 *
 * One session per open file: open /dev/hisi_hdc, VASCEND_IOCTL_HDC_CONNECT
 * to a card's service, then exchange messages. Each write() sends one
 * message (1..VASCEND_HDC_MAX_MSG bytes, fragmented by the driver), each
 * read() returns one whole message: with a buffer too small, read() fails
 * with EMSGSIZE and the message stays queued (VASCEND_IOCTL_HDC_STATUS
 * reports its size in next_len).
 * read(), write(), IORING_OP_READ/WRITE and the ioctls below all work on
 * the same session.
 *
 * Blocking: read waits for a message, write for a flow-control credit (the
 * service has not consumed the earlier ones), both interruptible and both
 * bounded by the session's timeout (VASCEND_IOCTL_HDC_SET_TIMEOUT; default
 * none); O_NONBLOCK gives EAGAIN instead. poll(): EPOLLIN a message is
 * queued, EPOLLOUT a message may be sent, EPOLLHUP the service closed the
 * session (read returns 0 once the queue is drained; write fails with
 * EPIPE). close() ends the session on the card.
 *
 * All ioctls use the same magic as vascend_davinci.h, numbers 0x80..0x9f.
 */
#ifndef _UAPI_VASCEND_HDC_H
#define _UAPI_VASCEND_HDC_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VASCEND_HDC_DEV_NAME		"hisi_hdc"

/**
 * struct vascend_hdc_connect - VASCEND_IOCTL_HDC_CONNECT
 * @dev_id: card
 * @service: VASCEND_HDC_SVC_* (vascend_hdc_hw.h)
 * @timeout_ms: how long to wait for the card's answer; 0 = driver default
 * @flags: zero
 * @reserved: zero
 *
 * Errors: EINVAL, ENODEV, EISCONN (this file already has a session),
 * ECONNREFUSED (the card refused: no such service, too many sessions),
 * ETIMEDOUT, EINTR, EIO.
 */
struct vascend_hdc_connect {
	__u32 dev_id;
	__u32 service;
	__u32 timeout_ms;
	__u32 flags;
	__u64 reserved[2];
};

/**
 * struct vascend_hdc_timeout - VASCEND_IOCTL_HDC_SET_TIMEOUT
 * @recv_ms: longest a blocking read waits for a message; 0 = no limit
 *	(ETIMEDOUT when it runs out)
 * @send_ms: longest a blocking write waits for a credit; 0 = no limit
 * @reserved: zero
 */
struct vascend_hdc_timeout {
	__u32 recv_ms;
	__u32 send_ms;
	__u64 reserved[2];
};

/**
 * struct vascend_hdc_session_status - VASCEND_IOCTL_HDC_STATUS
 * @state: out: VASCEND_HDC_STATE_*
 * @close_reason: out: the card's CLOSE reason (VASCEND_HDC_ERR_* of
 *	vascend_hdc_hw.h) once closed
 * @queued: out: received messages waiting to be read
 * @next_len: out: size of the next message (0 if none)
 * @credits: out: messages that may be sent now without waiting
 * @pad: zero
 * @reserved: zero
 */
struct vascend_hdc_session_status {
	__u32 state;
	__u32 close_reason;
	__u32 queued;
	__u32 next_len;
	__u32 credits;
	__u32 pad;
	__u64 reserved[2];
};

#define VASCEND_HDC_STATE_IDLE		0	/* not connected yet */
#define VASCEND_HDC_STATE_OPEN		1
#define VASCEND_HDC_STATE_CLOSED	2	/* by the card, or it was reset */

#define VASCEND_IOCTL_HDC_CONNECT \
	_IOW(0xd5, 0x80, struct vascend_hdc_connect)
#define VASCEND_IOCTL_HDC_SET_TIMEOUT \
	_IOW(0xd5, 0x81, struct vascend_hdc_timeout)
#define VASCEND_IOCTL_HDC_STATUS \
	_IOR(0xd5, 0x82, struct vascend_hdc_session_status)

#endif /* _UAPI_VASCEND_HDC_H */
