/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Argument checks of /dev/davinciN's stream ioctls and of the tasks they
 * carry: one function per struct, one error code per rule, so each rule has
 * its KUnit case and its debug line. Pure: no PCI, no device, no locks.
 */

#ifndef __VASCEND_TASK_CHECK_H__
#define __VASCEND_TASK_CHECK_H__

#include <linux/bits.h>
#include <linux/types.h>

#include <uapi/vascend_davinci.h>
#include <uapi/vascend_queue_hw.h>

/* The device's virtual address space (vascend_mmu_hw.h): 48 bits. */
#define VASCEND_TASK_VA_LIMIT		BIT_ULL(48)
/* KERNEL_LAUNCH: op descriptor bytes (vascend_op.h, the device's rule). */
#define VASCEND_TASK_DESC_MIN		64U
#define VASCEND_TASK_DESC_MAX		BIT(20)
/* KERNEL_LAUNCH: blocks per AI Core, at most. */
#define VASCEND_TASK_BLOCKS_PER_CORE	64U
/* MODEL_EXECUTE: the image's and the binding table's alignment. */
#define VASCEND_TASK_MODEL_ALIGN	64U
#define VASCEND_TASK_BINDING_ALIGN	8U

/* Which rule a check failed. 0 is success. */
enum vascend_check_err {
	VASCEND_CHECK_OK = 0,
	VASCEND_CHECK_TYPE,		/* task type unknown */
	VASCEND_CHECK_FLAGS,		/* a flag not defined */
	VASCEND_CHECK_RSVD,		/* a reserved or pad field not zero */
	VASCEND_CHECK_UNUSED,		/* an argument word the type does not use */
	VASCEND_CHECK_LEN,		/* length 0 or above VASCEND_MAX_XFER_LEN */
	VASCEND_CHECK_RANGE,		/* address range wraps or leaves the VA space */
	VASCEND_CHECK_OVERLAP,		/* MEMCPY source and destination overlap */
	VASCEND_CHECK_VALUE,		/* MEMSET value above 0xff */
	VASCEND_CHECK_ALIGN,		/* event address misaligned */
	VASCEND_CHECK_DESC_SIZE,	/* launch descriptor size out of range */
	VASCEND_CHECK_BLOCK_DIM,	/* launch block_dim too large */
	VASCEND_CHECK_DEPTH,		/* stream depth not a power of two in range */
	VASCEND_CHECK_COUNT,		/* task count 0 or above VASCEND_SUBMIT_MAX */
	VASCEND_CHECK_FD,		/* eventfd below -1 */
	VASCEND_CHECK_MODEL_SIZE,	/* model image size out of range */
	VASCEND_CHECK_MODEL_IO,		/* model input/output counts out of range */
};

/**
 * struct vascend_check_limits - what the card allows
 * @aicore_count: AI Cores (bounds a launch's and a model's block_dim)
 * @max_depth: deepest ring the card takes (bounds a stream's depth)
 */
struct vascend_check_limits {
	u32 aicore_count;
	u32 max_depth;
};

int vascend_check_task(const struct vascend_task *task,
		       const struct vascend_check_limits *lim);
void vascend_task_to_sqe(const struct vascend_task *task, u32 task_id,
			 struct vascend_sqe *sqe);
int vascend_check_stream_create(const struct vascend_stream_create *args,
				const struct vascend_check_limits *lim);
int vascend_check_stream_ref(const struct vascend_stream_ref *args);
int vascend_check_submit(const struct vascend_submit *args);
int vascend_check_uring_submit(const struct vascend_uring_submit *args);
int vascend_check_wait(const struct vascend_wait *args);
int vascend_check_eventfd(const struct vascend_stream_eventfd *args);
const char *vascend_check_err_name(int err);

#endif /* __VASCEND_TASK_CHECK_H__ */
