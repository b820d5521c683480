/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * vascend runtime <-> device contract: op descriptors.
 *
 * A KERNEL_LAUNCH task (vascend_queue_hw.h) names an op by op_id (from the
 * firmware's op table) and points, by device VA, at an op descriptor the
 * runtime wrote into device memory: this header, then one tensor
 * description per input and per output, then the attributes. The driver
 * passes it through untouched; the device reads it through the context's
 * MMU and validates every field before an AI Core touches any tensor.
 *
 * Layout (all offsets from the descriptor's start, 8-byte aligned):
 *   struct vascend_op_desc
 *   struct vascend_tensor_desc[num_inputs + num_outputs]   inputs first
 *   attributes: attr_count x (struct vascend_op_attr + data padded to 8)
 */
#ifndef _UAPI_VASCEND_OP_H
#define _UAPI_VASCEND_OP_H

#include <linux/types.h>

#define VASCEND_OP_DESC_MAGIC		0x44504f56	/* "VOPD" in memory order */
#define VASCEND_OP_DESC_VERSION		1
#define VASCEND_OP_MAX_DIMS		8
#define VASCEND_OP_MAX_TENSORS		64
#define VASCEND_OP_MAX_DESC_SIZE	(1U << 20)

/*
 * Data types and formats use AscendCL's numbers (aclDataType, aclFormat),
 * so the runtime passes them through: e.g. 0 float32, 1 float16, 2 int8,
 * 3 int32, 4 uint8, 9 int64, 12 bool, 27 bf16; formats 0 NCHW, 1 NHWC, 2 ND.
 */

/*
 * An omitted optional operand (Clip's min, an output the caller does not
 * want): dtype VASCEND_DTYPE_UNDEFINED (ACL_DT_UNDEFINED) and every other
 * field zero. Which operands an op lets the caller omit is the op's rule.
 */
#define VASCEND_DTYPE_UNDEFINED		0xffffffffU

/**
 * struct vascend_tensor_desc - one input or output
 * @addr: device VA of the first element
 * @size: bytes at @addr the op may touch; must cover the shape
 * @dtype: aclDataType number
 * @format: aclFormat number
 * @ndim: dimensions used in @dims (0: a scalar)
 * @flags: none defined; zero
 * @dims: sizes, outermost first; unused entries zero
 */
struct vascend_tensor_desc {
	__u64 addr;
	__u64 size;
	__u32 dtype;
	__u32 format;
	__u32 ndim;
	__u32 flags;
	__s64 dims[VASCEND_OP_MAX_DIMS];
};

/* struct vascend_op_attr.type */
#define VASCEND_ATTR_INT		1	/* count x __s64 */
#define VASCEND_ATTR_FLOAT		2	/* count x float (IEEE binary32) */
#define VASCEND_ATTR_BOOL		3	/* count x __u8 (0 or 1) */
#define VASCEND_ATTR_STRING		4	/* count bytes, no NUL needed */

/* Room for the longest ONNX attribute name ("coordinate_transformation_mode"). */
#define VASCEND_OP_ATTR_NAME_LEN	40

/**
 * struct vascend_op_attr - one attribute; its data follows, padded to 8
 * @name: attribute name (as in CANN/ONNX, e.g. "transpose_a"), NUL-padded,
 *	at least one NUL
 * @type: VASCEND_ATTR_*
 * @count: elements (bytes for strings)
 */
struct vascend_op_attr {
	char name[VASCEND_OP_ATTR_NAME_LEN];
	__u32 type;
	__u32 count;
};

/**
 * struct vascend_op_desc - the descriptor's header
 * @magic: VASCEND_OP_DESC_MAGIC
 * @version: VASCEND_OP_DESC_VERSION
 * @header_size: sizeof(struct vascend_op_desc)
 * @op_id: must equal the launching SQE's op_id
 * @num_inputs: tensor descriptions of inputs
 * @num_outputs: tensor descriptions of outputs, after the inputs
 * @attr_offset: where the attributes start
 * @attr_count: attributes
 * @total_size: bytes of the whole descriptor (the SQE's desc_size)
 * @flags: none defined; zero
 * @rsvd: zero
 */
struct vascend_op_desc {
	__u32 magic;
	__u16 version;
	__u16 header_size;
	__u32 op_id;
	__u16 num_inputs;
	__u16 num_outputs;
	__u32 attr_offset;
	__u32 attr_count;
	__u32 total_size;
	__u32 flags;
	__u32 rsvd[8];
};

/*
 * struct vascend_cqe.info for VASCEND_CQE_STATUS_OP_ERROR: which operand the
 * device or the op refused, and why. Operands are numbered as the
 * descriptor lists them: tensors 0..num_inputs + num_outputs - 1 (inputs
 * first), attributes with VASCEND_OP_ERR_ATTR(), the header itself with
 * VASCEND_OP_ERR_HEADER.
 */
#define VASCEND_OP_ERR_OPERAND(info)	((info) & 0xffff)
#define VASCEND_OP_ERR_REASON(info)	(((info) >> 16) & 0xff)
#define VASCEND_OP_ERR_INFO(reason, operand) \
	((((reason) & 0xff) << 16) | ((operand) & 0xffff))
#define VASCEND_OP_ERR_HEADER		0xffff
#define VASCEND_OP_ERR_ATTR(n)		(0x8000 | (n))

#define VASCEND_OP_ERR_MAGIC		1	/* header: magic */
#define VASCEND_OP_ERR_VERSION		2	/* header: version or header_size */
#define VASCEND_OP_ERR_OP_ID		3	/* header: op_id is not the SQE's */
#define VASCEND_OP_ERR_COUNT		4	/* header: tensor or attribute counts */
#define VASCEND_OP_ERR_LAYOUT		5	/* offsets or total_size */
#define VASCEND_OP_ERR_RESERVED		6	/* flags or reserved field not zero */
#define VASCEND_OP_ERR_DTYPE		7	/* unknown or unsupported data type */
#define VASCEND_OP_ERR_FORMAT		8	/* unsupported format */
#define VASCEND_OP_ERR_SHAPE		9	/* ndim, a dim, or shapes that disagree */
#define VASCEND_OP_ERR_SIZE		10	/* size does not cover the shape */
#define VASCEND_OP_ERR_ATTR_VALUE	11	/* attribute name, type, count or value */
#define VASCEND_OP_ERR_VALUE		12	/* a value read from a tensor is out of range (an index, a pad) */
#define VASCEND_OP_ERR_UNSUPPORTED	13	/* valid, but a case the device does not implement */

#endif /* _UAPI_VASCEND_OP_H */
