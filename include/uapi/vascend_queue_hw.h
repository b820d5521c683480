/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * vascend driver <-> device contract: queues, tasks and completions.
 *
 * Work reaches the device through queue pairs in the NVMe style: a
 * submission ring of 64-byte struct vascend_sqe and a completion ring of
 * 64-byte struct vascend_cqe, both in guest memory the driver owns, at bus
 * addresses. Queue 0 is the admin queue (set up through registers, see
 * VASCEND_REG_AQ_* in vascend_hw.h), used by the driver alone. IO queues
 * (1..VASCEND_REG_MAX_QUEUES-1) are created by admin command, each bound to
 * a context whose page table (vascend_mmu_hw.h) translates every address an
 * IO task names.
 *
 * Ordering: the tasks of one queue run one after another, in ring order;
 * different queues run concurrently. EVENT_RECORD / EVENT_WAIT order tasks
 * across queues. Every CQE carries start and end timestamps from the device
 * clock (VASCEND_REG_CLOCK_*).
 *
 * Completions: the device writes the CQE, then flips its phase bit
 * (VASCEND_CQE_F_PHASE: 1 on the first pass through the ring, 0 on the
 * second, ...), then raises the queue's MSI-X vector, subject to the queue's
 * coalescing settings. The driver consumes CQEs whose phase matches and
 * returns the slots by writing CQ_HEAD.
 *
 * Errors: a task the device cannot run completes with a non-zero status and
 * the queue stops (VASCEND_CQE_F_QUEUE_STOPPED in that CQE): later SQEs wait
 * until VASCEND_ADMIN_RESET_QUEUE or VASCEND_ADMIN_RESET_CONTEXT. Other
 * queues and contexts carry on. Malformed admin commands never stop the
 * admin queue.
 */
#ifndef _UAPI_VASCEND_QUEUE_HW_H
#define _UAPI_VASCEND_QUEUE_HW_H

#include <linux/types.h>

#define VASCEND_SQE_SIZE		64
#define VASCEND_CQE_SIZE		64

/* IO opcodes. */
#define VASCEND_OP_NOP			0x00	/* completes at once */
#define VASCEND_OP_MEMCPY		0x01	/* copy .len bytes, .src to .dst */
#define VASCEND_OP_MEMSET		0x02	/* fill .len bytes at .dst with a byte */
#define VASCEND_OP_EVENT_RECORD		0x03	/* write {value, timestamp} at .addr */
#define VASCEND_OP_EVENT_WAIT		0x04	/* wait until the u64 at .addr >= .value */
#define VASCEND_OP_NOTIFY		0x05	/* write u64 .value at .addr, then interrupt */
#define VASCEND_OP_KERNEL_LAUNCH	0x06	/* run an op on the AI Cores */
#define VASCEND_OP_MODEL_EXECUTE	0x07	/* run a whole .om model on the AI Cores */

/*
 * Admin opcodes (queue 0 only; addresses are bus addresses, not translated).
 * Results that fit come back in struct vascend_cqe.result.
 */
#define VASCEND_ADMIN_IDENTIFY		0x80	/* struct vascend_identify to .addr */
#define VASCEND_ADMIN_FW_STATUS		0x81	/* result: VASCEND_FW_STATUS_* */
#define VASCEND_ADMIN_CREATE_CONTEXT	0x82
#define VASCEND_ADMIN_DELETE_CONTEXT	0x83
#define VASCEND_ADMIN_CREATE_QUEUE	0x84
#define VASCEND_ADMIN_DELETE_QUEUE	0x85
#define VASCEND_ADMIN_RESET_QUEUE	0x86	/* drop pending SQEs, clear the stop */
#define VASCEND_ADMIN_RESET_CONTEXT	0x87	/* RESET_QUEUE on each of its queues + TLB flush */
#define VASCEND_ADMIN_TLB_INVALIDATE	0x88
#define VASCEND_ADMIN_DEVICE_RESET	0x89	/* IO queues, contexts, HDC gone; fatal ECC cleared */
#define VASCEND_ADMIN_TELEMETRY		0x8a	/* struct vascend_telemetry to .addr */
#define VASCEND_ADMIN_GET_OP_TABLE	0x8b	/* the firmware's op table to .addr */
#define VASCEND_ADMIN_HDC_SETUP		0x8c	/* vascend_hdc_hw.h */
#define VASCEND_ADMIN_HDC_TEARDOWN	0x8d

/* struct vascend_sqe.flags */
/* Raise the interrupt for this CQE now, whatever the coalescing settings. */
#define VASCEND_SQE_F_IRQ_NOW		(1U << 0)
#define VASCEND_SQE_F_VALID_MASK	VASCEND_SQE_F_IRQ_NOW

/* Most bytes one MEMCPY or MEMSET task moves; the runtime splits larger. */
#define VASCEND_MAX_XFER_LEN		(64ULL << 20)

/**
 * struct vascend_sqe - one submission queue entry
 * @opcode: VASCEND_OP_* (IO queues) or VASCEND_ADMIN_* (admin queue)
 * @flags: VASCEND_SQE_F_*
 * @rsvd0: must be zero
 * @task_id: chosen by the submitter, echoed in the CQE
 * @u: per-opcode arguments; unused words must be zero
 *
 * Any non-zero reserved field or unused word completes the task with
 * VASCEND_CQE_STATUS_INVALID_FIELD.
 */
struct vascend_sqe {
	__u8 opcode;
	__u8 flags;
	__u16 rsvd0;
	__u32 task_id;
	union {
		/* MEMCPY: device virtual addresses; ranges may not overlap. */
		struct {
			__u64 src;
			__u64 dst;
			__u64 len;	/* 1..VASCEND_MAX_XFER_LEN */
		} memcpy;
		/* MEMSET */
		struct {
			__u64 dst;
			__u64 len;	/* 1..VASCEND_MAX_XFER_LEN */
			__u32 value;	/* bits 7:0 used, the rest zero */
			__u32 rsvd;
		} memset;
		/*
		 * EVENT_RECORD: writes struct vascend_event_slot at .addr
		 * (16-byte aligned, device VA) with .value and the time the
		 * task ran. EVENT_WAIT: completes once the u64 at .addr is
		 * >= .value (the queue parks until then). NOTIFY: writes the
		 * u64 .value at .addr (8-byte aligned) and interrupts.
		 */
		struct {
			__u64 addr;
			__u64 value;
		} event;
		/* KERNEL_LAUNCH: the op descriptor (vascend_op.h) in device VA. */
		struct {
			__u64 desc;
			__u32 desc_size;	/* bytes at .desc */
			__u32 block_dim;	/* 1..AI Core count x 64; 0 = device's choice */
			__u32 op_id;		/* from the firmware's op table */
			__u32 rsvd;
		} launch;
		/*
		 * MODEL_EXECUTE: run every task of an offline model (the .om
		 * format, userspace/om/om_format.h) to its end, as one task.
		 * .model/.model_size: the whole image in device VA, 64-byte
		 * aligned, VASCEND_MODEL_MIN_SIZE..VASCEND_MODEL_MAX_SIZE bytes
		 * (its header's file_size). .bindings: device VA (8-byte
		 * aligned) of .num_inputs + .num_outputs + 1 struct
		 * vascend_model_binding: the model's inputs in order, its
		 * outputs in order, then its workspace. The counts must be the
		 * model's (1..VASCEND_MODEL_MAX_IO outputs, 0..MAX_IO inputs).
		 * .block_dim: AI Cores the model may use, 1..aicore count;
		 * 0 = all. See struct vascend_model_binding for what the
		 * device reads and writes, and VASCEND_MODEL_ERR_INFO for the
		 * errors.
		 */
		struct {
			__u64 model;
			__u64 model_size;
			__u64 bindings;
			__u16 num_inputs;
			__u16 num_outputs;
			__u32 block_dim;
			__u32 flags;		/* none defined: zero */
			__u32 rsvd;
		} model;
		/* IDENTIFY, TELEMETRY, GET_OP_TABLE: write the answer at .addr. */
		struct {
			__u64 addr;
			__u32 size;	/* bytes available at .addr */
			__u32 rsvd;
		} query;
		/* CREATE_CONTEXT, DELETE_CONTEXT, RESET_CONTEXT */
		struct {
			__u32 ctx_id;		/* 1..MAX_CONTEXTS-1 */
			__u32 flags;		/* none yet: zero */
			__u64 pt_root;		/* CREATE: bus address of the top table */
		} context;
		/* CREATE_QUEUE, DELETE_QUEUE, RESET_QUEUE */
		struct {
			__u16 qid;		/* 1..MAX_QUEUES-1 */
			__u16 vector;		/* MSI-X vector for the CQ */
			__u32 ctx_id;		/* context the queue's tasks use */
			__u64 sq_base;		/* bus address, 4 KiB aligned */
			__u64 cq_base;		/* bus address, 4 KiB aligned */
			__u32 depth;		/* entries in each ring: 2..MAX, power of two */
			/*
			 * Interrupt coalescing: raise the vector once
			 * .coalesce_count CQEs are waiting or the oldest has
			 * waited .coalesce_usecs, whichever comes first. 0/0:
			 * every CQE interrupts.
			 */
			__u16 coalesce_count;
			__u16 coalesce_usecs;
		} queue;
		/* TLB_INVALIDATE: [va, va + size) of ctx_id; size 0 = everything. */
		struct {
			__u32 ctx_id;
			__u32 rsvd;
			__u64 va;
			__u64 size;
		} tlb;
		/* HDC_SETUP (vascend_hdc_hw.h): rings and status block, bus addresses. */
		struct {
			__u64 h2d_base;		/* host -> device slots, 4 KiB aligned */
			__u64 d2h_base;		/* device -> host slots, 4 KiB aligned */
			__u64 status_addr;	/* struct vascend_hdc_status, 64-byte aligned */
			__u32 slot_count;	/* per ring: 2..VASCEND_HDC_MAX_SLOTS, power of two */
			__u32 slot_size;	/* bytes: VASCEND_HDC_MIN_SLOT..MAX_SLOT, power of two */
			__u16 vector;		/* MSI-X vector for device -> host traffic */
			__u16 rsvd;
			__u32 rsvd2;
		} hdc;
		__u64 raw[7];
	} u;
};

/* struct vascend_cqe.status */
#define VASCEND_CQE_STATUS_SUCCESS		0x00
#define VASCEND_CQE_STATUS_INVALID_OPCODE	0x01	/* unknown opcode for this queue */
#define VASCEND_CQE_STATUS_INVALID_FIELD	0x02	/* reserved bit/word set, bad value */
#define VASCEND_CQE_STATUS_NOT_BOOTED		0x03	/* firmware not running */
#define VASCEND_CQE_STATUS_INVALID_ID		0x04	/* no such/duplicate queue or context */
#define VASCEND_CQE_STATUS_MMU_FAULT		0x05	/* see result (address) and info */
#define VASCEND_CQE_STATUS_DMA_ERROR		0x06	/* host memory unreachable / injected */
#define VASCEND_CQE_STATUS_ECC_ERROR		0x07	/* uncorrectable HBM error */
#define VASCEND_CQE_STATUS_OP_ERROR		0x08	/* the op refused its arguments; info */
#define VASCEND_CQE_STATUS_ABORTED		0x09	/* dropped by a queue/context reset */
#define VASCEND_CQE_STATUS_OP_UNKNOWN		0x0a	/* op_id not in the firmware's table */
#define VASCEND_CQE_STATUS_FW_CRASHED		0x0b	/* firmware crashed while it ran */
#define VASCEND_CQE_STATUS_TOO_LARGE		0x0c	/* above a length limit */
#define VASCEND_CQE_STATUS_BUSY			0x0d	/* e.g. deleting a context in use */
#define VASCEND_CQE_STATUS_MODEL_INVALID	0x0e	/* MODEL_EXECUTE: the image is refused; info */

/* struct vascend_cqe.flags */
#define VASCEND_CQE_F_PHASE		(1U << 0)
/* This failure stopped the queue (see the file comment). */
#define VASCEND_CQE_F_QUEUE_STOPPED	(1U << 1)

/* struct vascend_cqe.info for VASCEND_CQE_STATUS_MMU_FAULT */
#define VASCEND_FAULT_ACCESS_READ	(1U << 0)
#define VASCEND_FAULT_ACCESS_WRITE	(1U << 1)
#define VASCEND_FAULT_REASON(info)	(((info) >> 8) & 0xff)	/* VASCEND_MMU_FAULT_* */
#define VASCEND_FAULT_LEVEL(info)	(((info) >> 16) & 0xff)	/* table level, 3..0 */

/**
 * struct vascend_cqe - one completion queue entry
 * @task_id: the SQE's task_id
 * @status: VASCEND_CQE_STATUS_*
 * @flags: VASCEND_CQE_F_*
 * @sq_id: queue the SQE came from
 * @sq_head: the device's SQ head after this task: slots before it are free
 * @info: status detail (MMU fault access/reason/level; op error operand)
 * @result: per opcode: bytes moved, admin result, or the faulting address
 * @start_ts: device clock when the task started
 * @end_ts: device clock when it finished
 * @rsvd: zero
 */
struct vascend_cqe {
	__u32 task_id;
	__u16 status;
	__u16 flags;
	__u16 sq_id;
	__u16 sq_head;
	__u32 info;
	__u64 result;
	__u64 start_ts;
	__u64 end_ts;
	__u64 rsvd[3];
};

/* MODEL_EXECUTE: limits of the image and of its IO. */
#define VASCEND_MODEL_MIN_SIZE		256		/* the .om header */
#define VASCEND_MODEL_MAX_SIZE		(1ULL << 30)
#define VASCEND_MODEL_MAX_IO		4096

/**
 * struct vascend_model_binding - one buffer of a MODEL_EXECUTE
 * @addr: device VA of the buffer; not looked at when @size is 0
 * @size: bytes at @addr; at least the model's size of that input or output
 *	(its IO entry's size) or, for the workspace, its workspace_size
 *
 * Inputs are only read, outputs written completely, the workspace is
 * scratch whose content afterwards is undefined. Buffers need no particular
 * alignment and may lie anywhere the context maps (device or registered
 * host memory); when an input shares bytes with an output or the workspace
 * the results are undefined (never an access outside the buffers).
 * [@addr, @addr + @size) is translated whole before anything runs: inputs
 * for reading, outputs and the workspace for writing.
 */
struct vascend_model_binding {
	__u64 addr;
	__u64 size;
};

/*
 * struct vascend_cqe.info of a failed MODEL_EXECUTE (MMU_FAULT aside, which
 * is as for every task): a reason and an index. With INVALID_FIELD and
 * MODEL_INVALID the reason is a VASCEND_MODEL_ERR_* and the index a binding
 * or task; with OP_ERROR the reason is the op's VASCEND_OP_ERR_*
 * (vascend_op.h), the index the failing task, and cqe.result that task's
 * op id. A MODEL_EXECUTE that succeeds has cqe.result = the AI Cores it
 * ran on.
 */
#define VASCEND_MODEL_ERR_INFO(reason, index) \
	((((reason) & 0xffU) << 24) | ((index) & 0xffffffU))
#define VASCEND_MODEL_ERR_REASON(info)	(((info) >> 24) & 0xff)
#define VASCEND_MODEL_ERR_INDEX(info)	((info) & 0xffffff)
#define VASCEND_MODEL_ERR_NONE		0xffffff	/* index: the whole model */

#define VASCEND_MODEL_ERR_FILE		1	/* MODEL_INVALID: not an .om this device takes (magic, version, size, checksum) */
#define VASCEND_MODEL_ERR_MODEL		2	/* MODEL_INVALID: an inconsistent .om (a field the format forbids) */
#define VASCEND_MODEL_ERR_OP		3	/* MODEL_INVALID: task index names an op not in the firmware's op table */
#define VASCEND_MODEL_ERR_COUNT		4	/* INVALID_FIELD: num_inputs/num_outputs are not the model's */
#define VASCEND_MODEL_ERR_SIZE		5	/* INVALID_FIELD: binding index is smaller than the model needs */

/**
 * struct vascend_event_slot - what EVENT_RECORD writes
 * @value: the SQE's value
 * @timestamp: device clock when the record task ran
 */
struct vascend_event_slot {
	__u64 value;
	__u64 timestamp;
};

/**
 * struct vascend_identify - answer to VASCEND_ADMIN_IDENTIFY (size <= 4096)
 * @hw_version: VASCEND_HW_VERSION() (as VASCEND_REG_VERSION)
 * @fw_version: running firmware, VASCEND_FW_VERSION() encoding; 0 if none
 * @caps: VASCEND_HW_CAP_*
 * @hbm_size: device memory bytes
 * @aicore_count: AI Cores
 * @max_queues: queue pairs, admin included
 * @max_queue_depth: entries per ring
 * @max_contexts: context ids are 1..max_contexts-1
 * @msix_count: MSI-X vectors
 * @op_count: entries in the firmware's op table
 * @hdc_service_count: HDC services the firmware offers
 * @page_sizes: bit n set: pages of 2^n bytes can be mapped
 * @clock_hz: device clock ticks per second (1e9: nanoseconds)
 * @rsvd0: zero
 * @soc_name: NUL-padded ASCII
 * @fw_build_info: the firmware's build-info string, NUL-padded
 * @rsvd: zero
 */
struct vascend_identify {
	__u32 hw_version;
	__u32 fw_version;
	__u64 caps;
	__u64 hbm_size;
	__u32 aicore_count;
	__u32 max_queues;
	__u32 max_queue_depth;
	__u32 max_contexts;
	__u32 msix_count;
	__u32 op_count;
	__u32 hdc_service_count;
	__u32 rsvd0;
	__u64 page_sizes;
	__u64 clock_hz;
	char soc_name[32];
	char fw_build_info[64];
	__u64 rsvd[8];
};

/**
 * struct vascend_telemetry - answer to VASCEND_ADMIN_TELEMETRY
 * @timestamp: device clock when sampled
 * @aicore_busy_ns: total busy time of all AI Cores since reset
 * @utilization: AI Core utilisation over the last second, per mille
 * @temperature_mc: simulated die temperature, millidegrees Celsius
 * @power_mw: simulated board power, milliwatts
 * @rsvd0: zero
 * @hbm_mapped: bytes of HBM mapped by the contexts' page tables (as last
 *	walked; see TLB_INVALIDATE)
 * @tasks_completed: tasks completed since reset, all queues
 * @faults: MMU faults since reset
 * @active_contexts: contexts existing
 * @active_queues: IO queues existing
 * @rsvd: zero
 */
struct vascend_telemetry {
	__u64 timestamp;
	__u64 aicore_busy_ns;
	__u32 utilization;
	__u32 temperature_mc;
	__u32 power_mw;
	__u32 rsvd0;
	__u64 hbm_mapped;
	__u64 tasks_completed;
	__u64 faults;
	__u32 active_contexts;
	__u32 active_queues;
	__u64 rsvd[4];
};

/**
 * struct vascend_op_entry - one entry of GET_OP_TABLE's answer (an array of
 *	identify.op_count entries), as the firmware's op table lists it
 * @op_id: what KERNEL_LAUNCH names
 * @version: op implementation version
 * @name: op type name (CANN's, e.g. "Add"), NUL-padded
 */
struct vascend_op_entry {
	__u32 op_id;
	__u32 version;
	char name[24];
};

#endif /* _UAPI_VASCEND_QUEUE_HW_H */
