/* SPDX-License-Identifier: MIT */
/*
 * The single-op layer's shared state: tensor descriptions, data buffers and
 * attribute sets as the public handles point at them, the op schema (what
 * the runtime knows about each CANN op type), one op call as it is resolved
 * and encoded, and the descriptor pool.
 *
 * An op call goes through:
 *   acl_op_exec.c     the public calls: CANN's argument checks, the stream
 *   acl_op_resolve.c  descriptions and buffers  -> struct acl_op_launch
 *   acl_op_schema.c   CANN conventions -> the library's (operands, attributes)
 *   acl_op_submit.c   op ids, descriptors in the pool, one submission
 *   acl_op_desc.c     struct acl_op_launch -> vascend_op.h descriptor bytes
 *   acl_op_pool.c     pinned memory the card reads descriptors from
 *   acl_op_error.c    a failed launch -> ACL_ERROR_OP_* and a message
 */
#ifndef VASCEND_ACL_OP_INTERNAL_H
#define VASCEND_ACL_OP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acl/acl.h"
#include "acl/acl_op.h"
#include "vascend_op.h"

/* Most dims a tensor description may carry (CANN has no limit; the card 8). */
#define ACL_OP_DESC_MAX_DIMS	64

#define ACL_TENSOR_DESC_MAGIC	0x54444553u	/* "SEDT" */
#define ACL_DATA_BUFFER_MAGIC	0x46554244u	/* "DBUF" */
#define ACL_OP_ATTR_MAGIC	0x52545441u	/* "ATTR" */
#define ACL_OP_HANDLE_MAGIC	0x444e4148u	/* "HAND" */

/* CANN's unknown-dim markers. */
#define ACL_DIM_UNKNOWN		(-1)
#define ACL_DIM_UNKNOWN_RANK	(-2)

struct aclTensorDesc {
	uint32_t magic;
	aclDataType dtype;
	aclFormat format;		/* origin format (aclCreateTensorDesc) */
	aclFormat storage_format;	/* ACL_FORMAT_UNDEFINED: not set */
	int ndim;
	int storage_ndim;		/* -1: not set */
	int64_t *dims;			/* ndim entries (may be NULL when 0) */
	int64_t *storage_dims;
	size_t num_ranges;		/* aclSetTensorShapeRange */
	int64_t (*ranges)[ACL_TENSOR_SHAPE_RANGE_NUM];
	size_t num_value_ranges;	/* aclSetTensorValueRange */
	int64_t (*value_ranges)[ACL_TENSOR_VALUE_RANGE_NUM];
	char *name;
	char *dynamic_input;
	void *const_data;		/* aclSetTensorConst: a private copy */
	size_t const_len;
	aclMemType memtype;
	void *address;			/* never set by vascend */
};

struct aclDataBuffer {
	uint32_t magic;
	void *data;
	size_t size;
};

/* Attribute kinds as AscendCL sets them. */
enum acl_attr_kind {
	ACL_ATTR_BOOL,
	ACL_ATTR_INT,
	ACL_ATTR_FLOAT,
	ACL_ATTR_STRING,
	ACL_ATTR_DTYPE,
	ACL_ATTR_LIST_BOOL,
	ACL_ATTR_LIST_INT,
	ACL_ATTR_LIST_FLOAT,
	ACL_ATTR_LIST_STRING,
	ACL_ATTR_LIST_DTYPE,
	ACL_ATTR_LIST_LIST_INT,
};

/**
 * struct acl_attr - one attribute of an aclopAttr
 * @name: malloc'd
 * @kind: enum acl_attr_kind
 * @count: elements (bytes for STRING; lists for LIST_LIST_INT; strings
 *	for LIST_STRING)
 * @data: BOOL/LIST_BOOL uint8_t (0 or 1), INT/DTYPE/lists of them int64_t,
 *	FLOAT float, STRING the bytes, LIST_STRING @count NUL-terminated
 *	strings back to back, LIST_LIST_INT @count int64_t lengths then the
 *	values
 * @size: bytes at @data
 */
struct acl_attr {
	char *name;
	enum acl_attr_kind kind;
	uint32_t count;
	void *data;
	size_t size;
};

struct aclopAttr {
	uint32_t magic;
	uint32_t count;
	uint32_t cap;
	struct acl_attr *items;
};

/* Find attribute @name in @attr (may be NULL); NULL when absent. */
const struct acl_attr *acl_attr_find(const aclopAttr *attr, const char *name);

/* Deep copy of @attr (NULL gives an empty set); NULL when out of memory. */
aclopAttr *acl_attr_clone(const aclopAttr *attr);

/* Copy of @desc; NULL when out of memory. */
aclTensorDesc *acl_tensor_desc_clone(const aclTensorDesc *desc);

/* What a tensor is for the card: the storage format and shape when set. */
aclFormat acl_tensor_desc_run_format(const aclTensorDesc *desc);
int acl_tensor_desc_run_dims(const aclTensorDesc *desc, const int64_t **dims);

/* Is @desc CANN's "omitted optional input" (UNDEFINED type and format, no dims)? */
bool acl_tensor_desc_is_omitted(const aclTensorDesc *desc);

const char *acl_dtype_name(int dtype);
const char *acl_format_name(int format);

/* ---- one op call ---- */

/* Most attributes one launch carries (the card's limit). */
#define ACL_OP_MAX_ATTRS	64
/* Bytes of attribute values the runtime itself writes per call (translations). */
#define ACL_OP_SCRATCH		1024

/**
 * struct acl_op_tensor - one operand, resolved
 * @omitted: an omitted optional input (dtype ACL_DT_UNDEFINED on the card)
 * @addr: device address (0 for @inline_data, filled when placed)
 * @size: bytes the card may touch
 * @inline_data: host bytes (constant or host-placed input) the runtime
 *	copies next to the descriptor; @size of them
 */
struct acl_op_tensor {
	bool omitted;
	uint64_t addr;
	uint64_t size;
	const void *inline_data;
	uint32_t dtype;
	uint32_t format;
	uint32_t ndim;
	int64_t dims[VASCEND_OP_MAX_DIMS];
};

/* One attribute in the card's encoding (VASCEND_ATTR_*). */
struct acl_op_attr {
	const char *name;
	uint32_t type;
	uint32_t count;
	const void *data;
};

struct acl_op_schema;

/**
 * struct acl_op_launch - one KERNEL_LAUNCH as the card will see it
 * @name: the op type in the card's op table
 * @op_id: its id there (0 until looked up)
 *
 * About 16 KiB: callers keep it on the stack and fill only the counts and
 * the entries in use.
 */
struct acl_op_launch {
	const char *name;
	const struct acl_op_schema *schema;	/* NULL: an op the runtime does not know */
	uint32_t op_id;
	uint32_t nin, nout;
	struct acl_op_tensor in[VASCEND_OP_MAX_TENSORS];
	struct acl_op_tensor out[VASCEND_OP_MAX_TENSORS];
	uint32_t nattrs;
	struct acl_op_attr attrs[ACL_OP_MAX_ATTRS];
	/* attribute values written by translations; attrs[] may point here */
	uint8_t scratch[ACL_OP_SCRATCH] __attribute__((aligned(8)));
	size_t scratch_used;
};

/* Room for @n bytes (8-aligned) in @l->scratch; NULL when full. */
void *acl_op_scratch(struct acl_op_launch *l, size_t n);

/* ---- the schema: CANN op types the runtime knows ---- */

/* struct acl_op_schema.flags */
#define ACL_OPF_POOL_PADS	(1u << 0)	/* CANN pads t,b,l,r -> begins, ends */
#define ACL_OPF_CONV_PADS	(1u << 1)	/* as above; 3-D: f,b,t,b,l,r */
#define ACL_OPF_DROP_IN0	(1u << 2)	/* CANN's first input is not the library's */

/**
 * struct acl_op_schema - one CANN op type
 * @cann: the name programs use
 * @lib: the name in the card's op table ("" for the same as @cann)
 * @min_in, @max_in, @min_out, @max_out: operand counts CANN's op takes
 * @lib_max_in: inputs the library takes (extra optional CANN inputs must
 *	be omitted)
 * @flags: ACL_OPF_*
 * @fix: attribute translation beyond the common one (NULL: none)
 */
struct acl_op_schema {
	const char *cann;
	const char *lib;
	uint8_t min_in, max_in, min_out, max_out;
	uint8_t lib_max_in;
	uint32_t flags;
	aclError (*fix)(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
			struct acl_op_launch *l);
};

/* The schema of CANN op type @name; NULL for an op the runtime does not know. */
const struct acl_op_schema *acl_op_schema_find(const char *name);
/* Name of the op in the card's table. */
static inline const char *acl_op_schema_lib(const struct acl_op_schema *s)
{
	return s->lib[0] ? s->lib : s->cann;
}
size_t acl_op_schema_count(void);
const struct acl_op_schema *acl_op_schema_at(size_t i);

/*
 * Translate @attr (may be NULL) into @l->attrs for op @s (may be NULL: an
 * op the runtime does not know, attributes pass as they are). Returns
 * ACL_ERROR_OP_ATTR_NOT_MATCH (recorded) for an attribute that cannot be
 * encoded or that CANN's op has but the library cannot honour.
 */
aclError acl_op_translate_attrs(const char *api, const char *op_type, const struct acl_op_schema *s,
				const aclopAttr *attr, struct acl_op_launch *l);

/* ---- descriptors (vascend_op.h) ---- */

/* Bytes of @l's descriptor; 0 when above VASCEND_OP_MAX_DESC_SIZE. */
size_t acl_op_desc_size(const struct acl_op_launch *l);

/*
 * Write @l's descriptor (acl_op_desc_size() bytes) at @buf, 8-aligned.
 * Every tensor's addr must be final.
 */
void acl_op_desc_write(const struct acl_op_launch *l, void *buf);

/* Bytes of inline data @l carries, each piece 64-aligned. */
size_t acl_op_inline_size(const struct acl_op_launch *l);

/* ---- the descriptor pool (pinned memory the card reads) ---- */

struct acl_op_block;

/*
 * @size bytes (64-aligned) of pinned memory on device @dev for descriptors
 * of launches to be queued on @stream; *@host is where to write them, the
 * card sees the same address. Released by acl_op_pool_put() once the last
 * task reading it has completed.
 */
aclError acl_op_pool_get(const char *api, int32_t dev, aclrtStream stream, size_t size,
			 struct acl_op_block **blk, void **host);
void acl_op_pool_put(struct acl_op_block *blk);
/*
 * Release @blk when task @seq of @stream completes; on failure to arrange
 * that, wait for the task and release at once.
 */
aclError acl_op_pool_put_after(const char *api, aclrtStream stream, uint64_t seq,
			       struct acl_op_block *blk);

/*
 * For the runtime's device reset, before it frees the device's pinned
 * memory: forget every chunk of device @dev (blocks still live are freed by
 * their last release, without touching the gone bytes).
 */
void acl_op_pool_device_reset(int32_t dev);

/* Pool statistics for tests: blocks handed out and not released, chunks. */
void acl_op_pool_stats(int32_t dev, unsigned int *live, unsigned int *chunks);

/* ---- running ---- */

/* The op implementation version the runtime's translations are written for. */
#define ACL_OP_LIB_VERSION	1

/*
 * One task of an op call: a launch, or a copy on the card of @len bytes of
 * tensor @src (its address is known once inline data is placed) to @dst.
 */
struct acl_op_step {
	struct acl_op_launch *launch;
	const struct acl_op_tensor *src;
	uint64_t dst;
	uint64_t len;
};

/*
 * Queue @n steps on @stream of device @dev in one submission: look up the
 * launches' op ids, place inline data and descriptors in the pool, submit,
 * remember the launches for error reports and release the pool block when
 * the last task completes. *@seq (may be NULL): the last task's seq.
 */
aclError acl_op_submit(const char *api, int32_t dev, aclrtStream stream, struct acl_op_step *steps,
		       uint32_t n, uint64_t *seq);

/*
 * Resolve a public op call into @l: checks what the runtime can check
 * (operand counts, data types, formats, ranks, buffer sizes, device memory
 * of @dev) and translates to the library's conventions. @inputs/@outputs
 * may be NULL (aclopCompile, handles): no buffers to check.
 */
aclError acl_op_resolve(const char *api, int32_t dev, const char *op_type, int nin,
			const aclTensorDesc *const in_desc[], const aclDataBuffer *const inputs[], int nout,
			const aclTensorDesc *const out_desc[], const aclDataBuffer *const outputs[],
			const aclopAttr *attr, struct acl_op_launch *l);

/*
 * The public calls' common path: CANN's argument checks, stream, resolve,
 * the extra steps some ops need, submit.
 */
aclError acl_op_execute(const char *api, const char *op_type, int nin, const aclTensorDesc *const in_desc[],
			const aclDataBuffer *const inputs[], int nout, const aclTensorDesc *const out_desc[],
			const aclDataBuffer *const outputs[], const aclopAttr *attr, aclrtStream stream);

/* CANN's checks of the description arrays (NULL arrays, NULL entries, negative counts). */
aclError acl_op_check_descs(const char *api, int nin, const aclTensorDesc *const in_desc[], int nout,
			    const aclTensorDesc *const out_desc[]);
aclError acl_op_check_buffers(const char *api, int nin, const aclDataBuffer *const inputs[], int nout,
			      const aclDataBuffer *const outputs[]);

/* Whether every output has a zero dim (CANN then runs nothing and succeeds). */
bool acl_op_outputs_empty(int nout, const aclTensorDesc *const out_desc[]);

/* ---- handles ---- */

/*
 * A BLAS call fixed at handle creation (acl_blas.c): C = alpha op(A) op(B)
 * + beta C with op(A) m x k; GEMV is GEMM with n = 1.
 */
struct acl_blas_plan {
	bool trans_a, trans_b;
	int m, n, k;
	aclDataType dt_a, dt_b, dt_c;
};

struct aclopHandle {
	uint32_t magic;
	char *op_type;
	int nin, nout;
	aclTensorDesc **in_desc;
	aclTensorDesc **out_desc;
	aclopAttr *attr;
	bool blas;			/* a BLAS handle: run @plan */
	struct acl_blas_plan plan;
};

/* A handle for @op_type with copies of the descriptions and attributes. */
aclError acl_op_handle_new(const char *api, const char *op_type, int nin, const aclTensorDesc *const in_desc[],
			   int nout, const aclTensorDesc *const out_desc[], const aclopAttr *attr,
			   aclopHandle **handle);

/*
 * What aclopCreateHandle, aclopUpdateParams and aclopCompile check: aclInit,
 * a current device, the runtime's checks of the descriptions and attributes,
 * and that the device's op table has the op.
 */
aclError acl_op_check_op(const char *api, const char *op_type, int nin, const aclTensorDesc *const in_desc[],
			 int nout, const aclTensorDesc *const out_desc[], const aclopAttr *attr);

/* aclopExecWithHandle of a BLAS handle: inputs A, B, C, alpha, beta; output C. */
aclError acl_blas_exec_handle(const char *api, const aclopHandle *h, const aclDataBuffer *const inputs[],
			      aclDataBuffer *const outputs[], aclrtStream stream);

/* ---- single-op models (acl_op_model.c) ---- */

/* Models aclopLoad/aclopSetModelDir loaded (for @op_type; NULL: all). */
size_t acl_op_model_count(const char *op_type);

/* ---- errors ---- */

/* Record a launch for acl_op_explain_failure(): @stream, @seq and @l. */
void acl_op_history_add(int32_t dev, aclrtStream stream, uint64_t seq, const struct acl_op_launch *l);

/*
 * A KERNEL_LAUNCH failed on the card with @status (VASCEND_CQE_STATUS_*)
 * and @info (vascend_op.h's OP_ERROR encoding). If task @seq of the stream
 * was queued by the single-op layer, write a message naming the op, the
 * operand (dtype, shape) or attribute and the reason into @msg and return
 * the AscendCL code (ACL_ERROR_OP_*); otherwise return ACL_SUCCESS and
 * leave @msg alone. For the runtime's report of a failed task, so that it
 * reads as CANN's would. The stream is named as callers named it: @stream
 * is its handle, @default_stream says it is the default stream of its
 * context (which callers name NULL).
 */
aclError acl_op_explain_failure(int32_t dev, aclrtStream stream, bool default_stream, uint64_t seq,
				uint32_t status, uint32_t info, char *msg, size_t len);

/* For tests: the seq of the last launch queued on @stream (as the caller named it). */
bool acl_op_history_last(aclrtStream stream, uint64_t *seq);

/* The AscendCL code for an OP_ERROR @info about a launch with @nin inputs. */
aclError acl_op_code_from_info(uint32_t status, uint32_t info, uint32_t nin);

#endif /* VASCEND_ACL_OP_INTERNAL_H */
