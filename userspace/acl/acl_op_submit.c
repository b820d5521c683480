// SPDX-License-Identifier: MIT
/*
 * Queue the tasks of one op call: each launch's op id from the card's op
 * table, its inline inputs and descriptor written into one pool block
 * (pinned memory the card reads), and one submission of all the call's
 * tasks, so they run back to back on the stream. The block is released
 * when the last task has completed.
 */
#include <string.h>

#include "acl_error.h"
#include "acl_internal.h"
#include "acl_op_internal.h"

#define ALIGN64(x)	(((x) + 63) & ~(size_t)63)
/* Most tasks one op call queues (LayerNorm: 3; BatchNorm: 1 + 4 copies; BLAS: 4). */
#define ACL_OP_MAX_STEPS	8

aclError acl_op_submit(const char *api, int32_t dev, aclrtStream stream, struct acl_op_step *steps,
		       uint32_t n, uint64_t *seq_out)
{
	struct vascend_task tasks[ACL_OP_MAX_STEPS];
	size_t dsize[ACL_OP_MAX_STEPS], total = 0, off = 0;
	struct acl_op_block *blk;
	uint8_t *host;
	uint64_t seq;
	aclError rc;

	if (!n || n > ACL_OP_MAX_STEPS)
		return acl_fail(ACL_ERROR_INTERNAL_ERROR, api, "op call of %u tasks", n);
	for (uint32_t i = 0; i < n; i++) {
		struct acl_op_launch *l = steps[i].launch;
		uint32_t version;

		if (!l)
			continue;
		rc = acl_op_lookup(api, dev, l->name, &l->op_id, &version);
		if (rc)
			return rc;
		if (l->schema && version != ACL_OP_LIB_VERSION)
			return acl_fail(ACL_ERROR_OP_TYPE_NOT_MATCH, api,
					"%s: the card implements version %u of the op, this runtime "
					"translates CANN's conventions for version %u", l->name, version,
					ACL_OP_LIB_VERSION);
		dsize[i] = acl_op_desc_size(l);
		if (!dsize[i])
			return acl_fail(ACL_ERROR_OP_ATTR_NOT_MATCH, api,
					"%s: the op's descriptor would exceed %u bytes (too many or too "
					"large attributes)", l->name, VASCEND_OP_MAX_DESC_SIZE);
		total += ALIGN64(dsize[i]) + acl_op_inline_size(l);
	}
	blk = NULL;
	host = NULL;
	if (total) {
		rc = acl_op_pool_get(api, dev, stream, total, &blk, (void **)&host);
		if (rc)
			return rc;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct acl_op_launch *l = steps[i].launch;
		struct vascend_task *t = &tasks[i];

		memset(t, 0, sizeof(*t));
		if (!l) {
			t->type = VASCEND_TASK_MEMCPY;
			t->u.memcpy.src = steps[i].src->addr;
			t->u.memcpy.dst = steps[i].dst;
			t->u.memcpy.len = steps[i].len;
			continue;
		}
		/* inline inputs first, so the descriptor can name their final address */
		for (uint32_t k = 0; k < l->nin; k++) {
			struct acl_op_tensor *in = &l->in[k];

			if (!in->inline_data)
				continue;
			memcpy(host + off, in->inline_data, in->size);
			in->addr = (uint64_t)(uintptr_t)(host + off);
			off += ALIGN64(in->size);
		}
		acl_op_desc_write(l, host + off);
		t->type = VASCEND_TASK_KERNEL_LAUNCH;
		t->u.launch.desc = (uint64_t)(uintptr_t)(host + off);
		t->u.launch.desc_size = (uint32_t)dsize[i];
		t->u.launch.block_dim = 0;	/* the card's choice: min(AI Cores, tiles) */
		t->u.launch.op_id = l->op_id;
		off += ALIGN64(dsize[i]);
	}
	rc = acl_stream_submit_api(api, stream, tasks, n, &seq);
	if (rc) {
		acl_op_pool_put(blk);
		return rc;
	}
	for (uint32_t i = 0; i < n; i++)
		if (steps[i].launch)
			acl_op_history_add(dev, stream, seq - (n - 1) + i, steps[i].launch);
	if (seq_out)
		*seq_out = seq;
	return blk ? acl_op_pool_put_after(api, stream, seq, blk) : ACL_SUCCESS;
}
