/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * vascend driver <-> device contract: the HDC (host-device communication)
 * transport.
 *
 * One channel per card: two rings of fixed-size slots in guest memory, set
 * up with VASCEND_ADMIN_HDC_SETUP: host -> device (h2d) and device -> host
 * (d2h). Each slot is a struct vascend_hdc_msg_hdr and up to
 * slot_size - sizeof(hdr) payload bytes. A message larger than one slot is
 * sent as fragments in consecutive slots of one ring, the first with
 * VASCEND_HDC_F_FIRST, the last with VASCEND_HDC_F_LAST (a one-slot message
 * has both); fragments of different sessions may interleave.
 *
 * Indices are free-running 32-bit counters (slot = index % slot_count).
 * The host produces h2d slots and then writes the new tail to the HDC
 * doorbell's H2D_TAIL; it consumes d2h slots and writes D2H_HEAD. The device
 * publishes its h2d head and d2h tail in struct vascend_hdc_status (guest
 * memory) and then raises the HDC vector. A ring is full when
 * tail - head == slot_count.
 *
 * Sessions: the host opens one with CONNECT (a session id it picks, unique
 * among its open sessions, and a service type); the device answers ACCEPT or
 * CLOSE. Flow control is per session and per direction, in messages: a side
 * may send a DATA message only while it holds a credit, and each message
 * (all its fragments) spends one. The device grants the host credits in
 * ACCEPT and then with CREDIT as its service consumes messages; the host
 * grants the device credits in CONNECT and with CREDIT as its reader
 * consumes. So one slow session never fills a ring for the others. Either
 * side ends a session with CLOSE; the other side answers nothing and drops
 * the session's state.
 *
 * Anything malformed from the host (bad type, length, fragment order,
 * unknown session, message without credit or above VASCEND_HDC_MAX_MSG)
 * closes that session with a CLOSE carrying a VASCEND_HDC_ERR_* reason;
 * other sessions are not affected.
 */
#ifndef _UAPI_VASCEND_HDC_HW_H
#define _UAPI_VASCEND_HDC_HW_H

#include <linux/types.h>

/* The HDC doorbell page is VASCEND_DOORBELL_HDC (vascend_hw.h). */
#define VASCEND_HDC_DB_H2D_TAIL		0x0
#define VASCEND_HDC_DB_D2H_HEAD		0x4

#define VASCEND_HDC_MAX_SLOTS		4096
#define VASCEND_HDC_MIN_SLOT		256
#define VASCEND_HDC_MAX_SLOT		65536
/* Largest message (all fragments), in bytes. */
#define VASCEND_HDC_MAX_MSG		(16U << 20)
/* Sessions the device holds open at once. */
#define VASCEND_HDC_MAX_SESSIONS	64

/* struct vascend_hdc_msg_hdr.type */
#define VASCEND_HDC_MSG_CONNECT		1	/* host: open .session to .arg's service */
#define VASCEND_HDC_MSG_ACCEPT		2	/* device: session open */
#define VASCEND_HDC_MSG_DATA		3	/* either: payload of a message */
#define VASCEND_HDC_MSG_CREDIT		4	/* either: .credits more messages may come */
#define VASCEND_HDC_MSG_CLOSE		5	/* either: session over, .arg = reason */

/* struct vascend_hdc_msg_hdr.flags */
#define VASCEND_HDC_F_FIRST		(1U << 0)
#define VASCEND_HDC_F_LAST		(1U << 1)

/* Service types (CONNECT's .arg); the firmware lists which exist. */
#define VASCEND_HDC_SVC_ECHO		1	/* sends each message back */
#define VASCEND_HDC_SVC_MGMT		2	/* device management: identify, telemetry */
#define VASCEND_HDC_SVC_LOG		3	/* device log lines, device -> host */
#define VASCEND_HDC_SVC_FILE		4	/* put/get files in the device's directory */

/* CLOSE reasons (.arg). */
#define VASCEND_HDC_CLOSE_NORMAL	0	/* asked for */
#define VASCEND_HDC_ERR_NO_SERVICE	1	/* CONNECT to a service not offered */
#define VASCEND_HDC_ERR_TOO_MANY	2	/* VASCEND_HDC_MAX_SESSIONS open */
#define VASCEND_HDC_ERR_SESSION		3	/* unknown session / id already open */
#define VASCEND_HDC_ERR_PROTOCOL	4	/* bad type, flags, fragment order or field */
#define VASCEND_HDC_ERR_NO_CREDIT	5	/* message sent without a credit */
#define VASCEND_HDC_ERR_TOO_BIG		6	/* message above VASCEND_HDC_MAX_MSG */
#define VASCEND_HDC_ERR_SERVICE		7	/* the service failed; see its log */
#define VASCEND_HDC_ERR_RESET		8	/* device reset or HDC torn down */

/**
 * struct vascend_hdc_msg_hdr - the start of every slot
 * @session: session id (non-zero)
 * @type: VASCEND_HDC_MSG_*
 * @flags: VASCEND_HDC_F_* (DATA only; zero otherwise)
 * @len: payload bytes in this slot
 * @total_len: DATA with VASCEND_HDC_F_FIRST: bytes in the whole message;
 *	zero otherwise
 * @arg: CONNECT: service type; CLOSE: reason; zero otherwise
 * @credits: CONNECT, ACCEPT, CREDIT: messages the sender grants; else zero
 * @rsvd: zero
 */
struct vascend_hdc_msg_hdr {
	__u32 session;
	__u16 type;
	__u16 flags;
	__u32 len;
	__u32 total_len;
	__u32 arg;
	__u32 credits;
	__u64 rsvd;
};

/**
 * struct vascend_hdc_status - written by the device in guest memory
 * @h2d_head: h2d slots consumed (free for the host to reuse) up to here
 * @d2h_tail: d2h slots produced up to here
 * @rsvd: zero
 */
struct vascend_hdc_status {
	__u32 h2d_head;
	__u32 d2h_tail;
	__u32 rsvd[14];
};

#endif /* _UAPI_VASCEND_HDC_HW_H */
