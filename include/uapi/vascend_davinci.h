/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * vascend user <-> kernel contract for /dev/davinciN, one node per card.
 *
 * Rules every ioctl here follows: fixed-width fields, explicit padding,
 * flags and reserved fields that must be zero (the driver rejects anything
 * else with EINVAL), and VASCEND_IOCTL_GET_INFO's uapi_version to tell what
 * the running driver speaks. See docs/uapi.md.
 *
 * Model (1.1): each process has one device address space per card, shared
 * by every file it opens (/dev/davinciN and /dev/devmm_svm, see
 * vascend_svm.h): the device's page table maps the process's device memory
 * and registered host memory at the same virtual addresses the process
 * uses. A stream is a device queue pair owned by the file that created it;
 * tasks submitted to one stream run in order, streams run concurrently.
 * Tasks are numbered per stream from 1 (the "seq"); waiting is by seq.
 * Closing the file (or the process dying) destroys its streams, aborting
 * their tasks. Streams run in the address space of the process that opened
 * the file: stream calls from another process (a child after fork(), a
 * receiver of the descriptor) fail with EBADF.
 */
#ifndef _UAPI_VASCEND_DAVINCI_H
#define _UAPI_VASCEND_DAVINCI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VASCEND_UAPI_VERSION_MAJOR	1
#define VASCEND_UAPI_VERSION_MINOR	1
#define VASCEND_UAPI_VERSION(major, minor) (((major) << 16) | (minor))

/* Device node name format: "/dev/davinci%u". */
#define VASCEND_DAVINCI_DEV_FMT		"davinci%u"

/* Capability bits reported in struct vascend_device_info.caps. */
#define VASCEND_CAP_DMA_XFER		(1ULL << 0)	/* VASCEND_IOCTL_DMA_XFER */
#define VASCEND_CAP_STREAMS		(1ULL << 1)	/* streams, SUBMIT, WAIT, poll */
#define VASCEND_CAP_URING_CMD		(1ULL << 2)	/* io_uring VASCEND_URING_CMD_SUBMIT */
#define VASCEND_CAP_SVM			(1ULL << 3)	/* /dev/devmm_svm (vascend_svm.h) */
#define VASCEND_CAP_HDC			(1ULL << 4)	/* /dev/hisi_hdc (vascend_hdc.h) */
#define VASCEND_CAP_OP_TABLE		(1ULL << 5)	/* VASCEND_IOCTL_GET_OP_TABLE */

#define VASCEND_SOC_NAME_MAX		32

/**
 * struct vascend_device_info - what VASCEND_IOCTL_GET_INFO returns
 * @uapi_version: VASCEND_UAPI_VERSION() the driver implements
 * @dev_id: N of /dev/davinciN
 * @aicore_count: AI Cores on the card
 * @fw_version: running firmware, VASCEND_FW_VERSION() encoding
 * @hbm_size: device memory in bytes
 * @caps: VASCEND_CAP_* bits
 * @pci_domain: PCI domain of the card
 * @pci_vendor: PCI vendor ID
 * @pci_device: PCI device ID
 * @pci_bus: PCI bus number
 * @pci_devfn: PCI device and function (PCI_DEVFN encoding)
 * @pad: zero
 * @soc_name: SoC name, NUL-terminated
 * @reserved: zero
 */
struct vascend_device_info {
	__u32 uapi_version;
	__u32 dev_id;
	__u32 aicore_count;
	__u32 fw_version;
	__u64 hbm_size;
	__u64 caps;
	__u32 pci_domain;
	__u16 pci_vendor;
	__u16 pci_device;
	__u8 pci_bus;
	__u8 pci_devfn;
	__u8 pad[6];
	char soc_name[VASCEND_SOC_NAME_MAX];
	__u64 reserved[4];
};

/* Directions for struct vascend_dma_xfer. */
#define VASCEND_DMA_TO_DEVICE		1	/* user memory -> HBM */
#define VASCEND_DMA_FROM_DEVICE		2	/* HBM -> user memory */

/**
 * struct vascend_dma_xfer - copy between user memory and device memory
 * @user_addr: buffer in the caller's address space
 * @dev_addr: byte offset into the card's HBM
 * @size: bytes to copy, at least 1; @dev_addr + @size must fit in HBM
 * @direction: VASCEND_DMA_TO_DEVICE or VASCEND_DMA_FROM_DEVICE
 * @flags: none defined; must be zero
 * @reserved: must be zero
 *
 * The driver moves the data with the card's DMA engine, in pieces when it is
 * large, and returns when the last piece's completion interrupt arrived.
 * Errors: EINVAL (bad field), EFAULT (bad @user_addr), EIO (the device
 * reported a DMA error), ETIMEDOUT (no completion), ENODEV (card gone).
 */
struct vascend_dma_xfer {
	__u64 user_addr;
	__u64 dev_addr;
	__u64 size;
	__u32 direction;
	__u32 flags;
	__u64 reserved[2];
};

#define VASCEND_IOCTL_MAGIC		0xd5

#define VASCEND_IOCTL_GET_INFO \
	_IOR(VASCEND_IOCTL_MAGIC, 0x00, struct vascend_device_info)
#define VASCEND_IOCTL_DMA_XFER \
	_IOW(VASCEND_IOCTL_MAGIC, 0x01, struct vascend_dma_xfer)

/* ---- Streams (VASCEND_CAP_STREAMS) ---- */

#define VASCEND_STREAM_DEFAULT_DEPTH	256
#define VASCEND_STREAM_MAX_DEPTH	4096
/* Streams one file may hold. */
#define VASCEND_STREAMS_PER_FILE	64

/**
 * struct vascend_stream_create - VASCEND_IOCTL_STREAM_CREATE
 * @depth: ring entries, a power of two 2..VASCEND_STREAM_MAX_DEPTH;
 *	0 = VASCEND_STREAM_DEFAULT_DEPTH
 * @flags: none defined; zero
 * @stream_id: out: the stream's id, valid on this file only
 * @pad: zero
 * @reserved: zero
 *
 * Errors: EINVAL, EMFILE (VASCEND_STREAMS_PER_FILE reached), ENOSPC (the
 * card has no free queue), ENOMEM, EIO (the card refused the queue).
 */
struct vascend_stream_create {
	__u32 depth;
	__u32 flags;
	__u32 stream_id;
	__u32 pad;
	__u64 reserved[2];
};

/**
 * struct vascend_stream_ref - names a stream: STREAM_DESTROY, STREAM_RESET
 * @stream_id: from STREAM_CREATE on this file
 * @flags: none defined; zero
 * @reserved: zero
 *
 * DESTROY aborts the stream's unfinished tasks and frees it. RESET aborts
 * the unfinished tasks (they complete with VASCEND_CQE_STATUS_ABORTED),
 * clears the stream's error, and keeps the stream usable; numbering goes on.
 */
struct vascend_stream_ref {
	__u32 stream_id;
	__u32 flags;
	__u64 reserved[2];
};

/* struct vascend_task.type: what the device runs (vascend_queue_hw.h). */
#define VASCEND_TASK_NOP		0
#define VASCEND_TASK_MEMCPY		1
#define VASCEND_TASK_MEMSET		2
#define VASCEND_TASK_EVENT_RECORD	3
#define VASCEND_TASK_EVENT_WAIT		4
#define VASCEND_TASK_NOTIFY		5
#define VASCEND_TASK_KERNEL_LAUNCH	6
#define VASCEND_TASK_MODEL_EXECUTE	7	/* a whole .om model: VASCEND_OP_MODEL_EXECUTE */

/* struct vascend_task.flags */
/* Wake waiters for this task at once (no interrupt coalescing). */
#define VASCEND_TASK_F_IRQ_NOW		(1U << 0)

/**
 * struct vascend_task - one task as userspace submits it (64 bytes)
 * @type: VASCEND_TASK_*
 * @flags: VASCEND_TASK_F_*
 * @rsvd0: zero
 * @rsvd1: zero
 * @u: arguments, as struct vascend_sqe.u for the same opcode: every address
 *	is a virtual address of the caller's device address space (device
 *	memory from /dev/devmm_svm, or registered host memory). Unused words
 *	must be zero.
 */
struct vascend_task {
	__u8 type;
	__u8 flags;
	__u16 rsvd0;
	__u32 rsvd1;
	union {
		struct {
			__u64 src;
			__u64 dst;
			__u64 len;
		} memcpy;
		struct {
			__u64 dst;
			__u64 len;
			__u32 value;
			__u32 rsvd;
		} memset;
		struct {
			__u64 addr;
			__u64 value;
		} event;
		struct {
			__u64 desc;
			__u32 desc_size;
			__u32 block_dim;
			__u32 op_id;
			__u32 rsvd;
		} launch;
		/* MODEL_EXECUTE: see struct vascend_sqe's model (vascend_queue_hw.h). */
		struct {
			__u64 model;
			__u64 model_size;
			__u64 bindings;
			__u16 num_inputs;
			__u16 num_outputs;
			__u32 block_dim;
			__u32 flags;
			__u32 rsvd;
		} model;
		__u64 raw[7];
	} u;
};

/* Most tasks one SUBMIT (or one io_uring command) carries. */
#define VASCEND_SUBMIT_MAX		256

/* struct vascend_submit.flags */
/* Fail with EAGAIN instead of sleeping while the ring is full. */
#define VASCEND_SUBMIT_F_NONBLOCK	(1U << 0)

/**
 * struct vascend_submit - VASCEND_IOCTL_SUBMIT
 * @stream_id: the stream
 * @count: tasks at @tasks, 1..VASCEND_SUBMIT_MAX
 * @tasks: user pointer to struct vascend_task[@count]
 * @flags: VASCEND_SUBMIT_F_*
 * @pad: zero
 * @seq: out: the seq of the last task submitted (the first is
 *	@seq - @count + 1)
 * @reserved: zero
 *
 * All tasks are checked before any is queued: one bad task fails the call
 * with EINVAL and queues nothing. The call sleeps (killable) while the ring
 * is full. With VASCEND_SUBMIT_F_NONBLOCK the whole batch must fit at once
 * (@count below the stream's depth, else EINVAL). Errors: EINVAL, EFAULT,
 * EAGAIN (NONBLOCK and full), EIO (the stream has an unreset error: see
 * WAIT), ENODEV, EINTR.
 */
struct vascend_submit {
	__u32 stream_id;
	__u32 count;
	__u64 tasks;
	__u32 flags;
	__u32 pad;
	__u64 seq;
	__u64 reserved[2];
};

/* struct vascend_wait.timeout_ms: wait as long as it takes. */
#define VASCEND_WAIT_FOREVER		0xffffffffU

/**
 * struct vascend_wait - VASCEND_IOCTL_WAIT: wait for a stream's tasks
 * @stream_id: the stream
 * @timeout_ms: 0 = do not sleep (a query), VASCEND_WAIT_FOREVER, or ms
 * @seq: wait until every task up to this seq has completed; 0 = every task
 *	submitted so far
 * @completed: out: seq of the last completed task
 * @status: out: 0 while the stream is healthy; else the device status
 *	(VASCEND_CQE_STATUS_*) of the first task that failed
 * @err_info: out: that task's cqe.info (fault access/reason, op operand)
 * @err_seq: out: that task's seq
 * @err_result: out: that task's cqe.result (e.g. the faulting address)
 * @start_ts: out: device clock when task @completed started
 * @end_ts: out: device clock when task @completed ended
 * @reserved: zero
 *
 * Returns 0 when the tasks completed or the stream failed (@status then says
 * why; tasks after the failed one do not run until STREAM_RESET), ETIMEDOUT
 * when @timeout_ms passed first (the out fields are still filled), EINTR on
 * a signal, EINVAL, ENODEV. A card reset fails every stream of the card
 * that had unfinished tasks with VASCEND_CQE_STATUS_ABORTED; idle streams
 * carry on.
 */
struct vascend_wait {
	__u32 stream_id;
	__u32 timeout_ms;
	__u64 seq;
	__u64 completed;
	__u32 status;
	__u32 err_info;
	__u64 err_seq;
	__u64 err_result;
	__u64 start_ts;
	__u64 end_ts;
	__u64 reserved[2];
};

/**
 * struct vascend_stream_eventfd - VASCEND_IOCTL_STREAM_EVENTFD
 * @stream_id: the stream
 * @fd: an eventfd signalled (by 1) whenever the stream completes tasks or
 *	fails; -1 detaches
 * @reserved: zero
 */
struct vascend_stream_eventfd {
	__u32 stream_id;
	__s32 fd;
	__u64 reserved[2];
};

/*
 * poll()/epoll on /dev/davinciN: EPOLLIN while some stream of this file has
 * completions no WAIT on that stream has reported yet, EPOLLPRI while one
 * has an error, EPOLLERR once the card is gone.
 */

/*
 * io_uring (VASCEND_CAP_URING_CMD): IORING_OP_URING_CMD on /dev/davinciN
 * with cmd_op VASCEND_URING_CMD_SUBMIT and struct vascend_uring_submit in
 * the SQE's command area (16 bytes: no IORING_SETUP_SQE128 needed). The
 * tasks are queued as by VASCEND_IOCTL_SUBMIT; the io_uring completion is
 * posted when the last of them completes: res 0, or -EIO when the stream
 * failed before they all completed (WAIT tells which task), -ECANCELED when
 * the stream was reset or destroyed, or the error SUBMIT would have
 * returned.
 */
#define VASCEND_URING_CMD_SUBMIT	0x01

/**
 * struct vascend_uring_submit - io_uring command payload
 * @stream_id: the stream
 * @count: tasks at @tasks, 1..VASCEND_SUBMIT_MAX
 * @tasks: user pointer to struct vascend_task[@count]
 */
struct vascend_uring_submit {
	__u32 stream_id;
	__u32 count;
	__u64 tasks;
};

#define VASCEND_IOCTL_STREAM_CREATE \
	_IOWR(VASCEND_IOCTL_MAGIC, 0x02, struct vascend_stream_create)
#define VASCEND_IOCTL_STREAM_DESTROY \
	_IOW(VASCEND_IOCTL_MAGIC, 0x03, struct vascend_stream_ref)
#define VASCEND_IOCTL_STREAM_RESET \
	_IOW(VASCEND_IOCTL_MAGIC, 0x04, struct vascend_stream_ref)
#define VASCEND_IOCTL_SUBMIT \
	_IOWR(VASCEND_IOCTL_MAGIC, 0x05, struct vascend_submit)
#define VASCEND_IOCTL_WAIT \
	_IOWR(VASCEND_IOCTL_MAGIC, 0x06, struct vascend_wait)
#define VASCEND_IOCTL_STREAM_EVENTFD \
	_IOW(VASCEND_IOCTL_MAGIC, 0x07, struct vascend_stream_eventfd)

/* ---- The firmware's op table (VASCEND_CAP_OP_TABLE) ---- */

/**
 * struct vascend_op_table - VASCEND_IOCTL_GET_OP_TABLE: the ops the running
 *	firmware offers (what KERNEL_LAUNCH's op_id names)
 * @count: in: room at @entries, in entries; out: entries the firmware's
 *	table has (may exceed the room: only the room is filled)
 * @pad: zero
 * @entries: user pointer to struct vascend_op_entry[@count]
 *	(vascend_queue_hw.h); may be 0 when @count is 0 (asks the size)
 * @reserved: zero
 *
 * The card is asked each time (admin GET_OP_TABLE), so the answer is the
 * table of the firmware running now. Errors: EINVAL (pad, reserved, @entries
 * 0 with @count not 0), EFAULT, EIO (the card refused), ETIMEDOUT, ENODEV.
 */
struct vascend_op_table {
	__u32 count;
	__u32 pad;
	__u64 entries;
	__u64 reserved[2];
};

#define VASCEND_IOCTL_GET_OP_TABLE \
	_IOWR(VASCEND_IOCTL_MAGIC, 0x08, struct vascend_op_table)

#endif /* _UAPI_VASCEND_DAVINCI_H */
