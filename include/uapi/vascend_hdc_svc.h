/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * vascend user <-> device contract: the payloads of the HDC services.
 *
 * The transport (sessions, fragments, credits) is vascend_hdc_hw.h; this
 * header says what the DATA messages of each service carry. A host process
 * opens a session to a service (VASCEND_HDC_SVC_*) and exchanges whole
 * messages with it; the driver does the fragmenting. Every message has
 * 1..VASCEND_HDC_MAX_MSG bytes. Little-endian throughout.
 *
 * Requests are answered in order, one session at a time: a session that
 * wants two requests in flight may send both, the answers come back in the
 * order of the requests. Reserved fields must be zero; a request with a
 * non-zero reserved field, or of the wrong size, is answered with status
 * -VASCEND_HDC_EINVAL.
 *
 * Status values are 0 or a negative Linux errno value, named here so that
 * the device's host OS does not matter.
 */
#ifndef _UAPI_VASCEND_HDC_SVC_H
#define _UAPI_VASCEND_HDC_SVC_H

#include <linux/types.h>

/* Status codes: a reply's status is 0 or minus one of these. */
#define VASCEND_HDC_EPERM		1
#define VASCEND_HDC_ENOENT		2
#define VASCEND_HDC_EIO			5
#define VASCEND_HDC_E2BIG		7
#define VASCEND_HDC_ENOMEM		12
#define VASCEND_HDC_EACCES		13
#define VASCEND_HDC_EBUSY		16
#define VASCEND_HDC_EEXIST		17
#define VASCEND_HDC_ENOTDIR		20
#define VASCEND_HDC_EISDIR		21
#define VASCEND_HDC_EINVAL		22
#define VASCEND_HDC_EFBIG		27
#define VASCEND_HDC_ENOSPC		28
#define VASCEND_HDC_EROFS		30
#define VASCEND_HDC_ENAMETOOLONG	36
#define VASCEND_HDC_ELOOP		40
#define VASCEND_HDC_EOPNOTSUPP		95

/* ---- VASCEND_HDC_SVC_ECHO ----
 *
 * Every DATA message is sent back unchanged, in order. No header.
 */

/* ---- VASCEND_HDC_SVC_MGMT ---- */

#define VASCEND_HDC_MGMT_IDENTIFY	1	/* reply: + struct vascend_identify */
#define VASCEND_HDC_MGMT_TELEMETRY	2	/* reply: + struct vascend_telemetry */

/**
 * struct vascend_hdc_mgmt_req - a MGMT request: one DATA message of exactly
 *	this size
 * @cmd: VASCEND_HDC_MGMT_*
 * @rsvd: zero
 */
struct vascend_hdc_mgmt_req {
	__u32 cmd;
	__u32 rsvd;
};

/**
 * struct vascend_hdc_mgmt_reply - the start of every MGMT reply
 * @cmd: the request's cmd (0 when the request was too short to have one)
 * @status: 0, or -VASCEND_HDC_EINVAL for an unknown cmd or a malformed
 *	request, -VASCEND_HDC_EOPNOTSUPP when the device cannot answer it
 *
 * With status 0 the answer follows: struct vascend_identify
 * (vascend_queue_hw.h) for IDENTIFY, struct vascend_telemetry for
 * TELEMETRY, as the admin commands of the same names return them. An error
 * reply is the header alone.
 */
struct vascend_hdc_mgmt_reply {
	__u32 cmd;
	__s32 status;
};

/* ---- VASCEND_HDC_SVC_LOG ----
 *
 * Device -> host only. On CONNECT the service sends the lines the device
 * log still holds (its backlog), then each new line as the device adds it,
 * one DATA message per line: struct vascend_hdc_log_line followed by the
 * text (printable ASCII, no NUL, no newline; 1..159 bytes). A line the
 * device log overwrote before the host granted the credit to send it is
 * lost; when credits come back the service first sends a line with
 * VASCEND_HDC_LOG_F_DROPPED whose text is "N lines dropped". A DATA message
 * from the host closes the session with VASCEND_HDC_ERR_PROTOCOL.
 */

/* This line is the service's own drop notice, not a device log line. */
#define VASCEND_HDC_LOG_F_DROPPED	(1U << 0)

/**
 * struct vascend_hdc_log_line - the start of every LOG message
 * @timestamp_ns: device clock when the line was added (the drop notice:
 *	when it was sent)
 * @seq: the line's number in the device log (the low 32 bits of a counter
 *	that starts at 0 at device power-on and never goes back); a drop
 *	notice carries the number of the last line it stands for, so @seq
 *	always increases
 * @flags: VASCEND_HDC_LOG_F_*
 */
struct vascend_hdc_log_line {
	__u64 timestamp_ns;
	__u32 seq;
	__u32 flags;
};

/* ---- VASCEND_HDC_SVC_FILE ----
 *
 * Files in one flat directory on the device side (the ascend-npu property
 * hdc-dir). Each request is one DATA message, a struct vascend_hdc_file_req;
 * each answer starts with a struct vascend_hdc_file_reply whose op is the
 * request's op (or VASCEND_HDC_FILE_PUT_READY).
 *
 * PUT {name, size}: the device answers at once. An error status ends the
 *	PUT (nothing was written). Status 0 with op VASCEND_HDC_FILE_PUT_READY
 *	means "send the data": then exactly size bytes follow as DATA messages
 *	of any sizes (none when size is 0), and when the last byte is in the
 *	device answers again with op VASCEND_HDC_FILE_PUT: status 0 once the
 *	file is in place, under its name, replacing a file of that name, or
 *	the error (the file is then unchanged). A file is never visible half
 *	written: a PUT interrupted by an error, a CLOSE or a reset leaves
 *	nothing behind. A DATA message that goes past size ends the PUT with
 *	-VASCEND_HDC_EINVAL. Data sent before PUT_READY after a refused PUT
 *	would be taken as requests: wait for the answer.
 * GET {name}: answered with {status, size}; with status 0, size bytes
 *	follow in DATA messages of at most VASCEND_HDC_FILE_CHUNK bytes. If the
 *	file cannot be read to the end after all (changed underneath), the
 *	device closes the session with VASCEND_HDC_ERR_SERVICE.
 * LIST {}: answered with {status, size = number of entries} followed by
 *	that many struct vascend_hdc_file_entry, sorted by name: the regular
 *	files whose names are valid, at most VASCEND_HDC_FILE_LIST_MAX
 *	(VASCEND_HDC_FILE_F_TRUNCATED when there were more).
 * DELETE {name}: answered with {status}.
 *
 * Names: 1..VASCEND_HDC_FILE_NAME_MAX bytes of [A-Za-z0-9._-], neither "."
 * nor ".."; anything else is -VASCEND_HDC_EINVAL (-VASCEND_HDC_ENAMETOOLONG
 * when name_len is above the maximum). Symbolic links in the directory are
 * never followed (GET and PUT of one fail with -VASCEND_HDC_ELOOP or
 * replace the link itself; DELETE removes the link). A PUT of more than the
 * device's limit (property hdc-file-max) is refused with
 * -VASCEND_HDC_EFBIG before any byte is written. When the device has no
 * directory every request is refused with -VASCEND_HDC_EACCES.
 */

#define VASCEND_HDC_FILE_PUT		1
#define VASCEND_HDC_FILE_GET		2
#define VASCEND_HDC_FILE_LIST		3
#define VASCEND_HDC_FILE_DELETE		4
/* Reply only: a PUT was accepted, send its data. */
#define VASCEND_HDC_FILE_PUT_READY	5

#define VASCEND_HDC_FILE_NAME_MAX	255
/* Largest DATA message of a GET. */
#define VASCEND_HDC_FILE_CHUNK		(256U << 10)
/* Most entries in a LIST answer. */
#define VASCEND_HDC_FILE_LIST_MAX	4096

/* struct vascend_hdc_file_reply.flags */
#define VASCEND_HDC_FILE_F_TRUNCATED	(1U << 0)	/* LIST: more files exist */

/**
 * struct vascend_hdc_file_req - a FILE request: one DATA message of exactly
 *	this size
 * @op: VASCEND_HDC_FILE_PUT, _GET, _LIST or _DELETE
 * @name_len: bytes of @name used (LIST: zero)
 * @size: PUT: bytes of data that follow; zero otherwise
 * @name: the file name, not NUL-terminated; bytes past @name_len zero
 */
struct vascend_hdc_file_req {
	__u32 op;
	__u32 name_len;
	__u64 size;
	char name[256];
};

/**
 * struct vascend_hdc_file_reply - the start of every FILE answer
 * @op: the request's op, or VASCEND_HDC_FILE_PUT_READY (0 when the
 *	request was too short to have one)
 * @status: 0 or minus a VASCEND_HDC_E* code
 * @size: GET: bytes that follow; LIST: entries that follow; PUT: bytes
 *	written; PUT_READY: bytes to send; zero otherwise
 * @flags: VASCEND_HDC_FILE_F_*
 * @rsvd: zero
 */
struct vascend_hdc_file_reply {
	__u32 op;
	__s32 status;
	__u64 size;
	__u32 flags;
	__u32 rsvd;
};

/**
 * struct vascend_hdc_file_entry - one file in a LIST answer
 * @size: bytes in the file
 * @name_len: bytes of @name used
 * @rsvd: zero
 * @name: not NUL-terminated; bytes past @name_len zero
 */
struct vascend_hdc_file_entry {
	__u64 size;
	__u32 name_len;
	__u32 rsvd;
	char name[256];
};

#endif /* _UAPI_VASCEND_HDC_SVC_H */
