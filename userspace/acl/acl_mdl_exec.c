// SPDX-License-Identifier: MIT
/*
 * Executing models: the datasets are checked against the model (count,
 * each buffer's address and size), the bindings (inputs, outputs, then the
 * workspace: struct vascend_model_binding) are written to pinned memory
 * from the descriptor pool, and ONE MODEL_EXECUTE task naming the image in
 * device memory is queued. The card runs every task of the model to the
 * end and completes it once. aclmdlExecute waits for it; aclmdlExecuteAsync
 * returns, and the pool block and the model stay alive until the task has
 * completed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "acl_error.h"
#include "acl_mdl_internal.h"
#include "acl_op_internal.h"
#include "vascend_queue_hw.h"

static bool dataset_ok(const char *api, const char *what, const aclmdlDataset *ds)
{
	if (!ds) {
		acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s dataset is NULL", what);
		return false;
	}
	if (ds->magic != ACL_MDL_DATASET_MAGIC) {
		acl_fail(ACL_ERROR_INVALID_PARAM, api,
			 "%s is not an aclmdlDataset (create it with aclmdlCreateDataset)", what);
		return false;
	}
	return true;
}

/* Buffers of @ds against the model's inputs (@out false) or outputs, into @b. */
static aclError bind(const char *api, const struct acl_model *m, const aclmdlDataset *ds,
		     bool out, struct vascend_model_binding *b)
{
	const char *what = out ? "output" : "input";
	uint32_t n = out ? m->nout : m->nin;
	const struct acl_mdl_io *io = m->io + (out ? m->nin : 0);
	int32_t dev;

	if (ds->n != n)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"model %u (\"%s\") has %u %ss, the %s dataset %zu buffers", m->id,
				m->name, n, what, what, ds->n);
	for (uint32_t i = 0; i < n; i++) {
		void *p = aclGetDataBufferAddr(ds->bufs[i]);
		size_t size = aclGetDataBufferSizeV2(ds->bufs[i]);

		if (!p)
			return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s %u (\"%s\"): data is NULL",
					what, i, io[i].name);
		if (size < io[i].size)
			return acl_fail(ACL_ERROR_INVALID_PARAM, api,
					"%s %u (\"%s\"): buffer of %zu bytes, the model needs %zu", what,
					i, io[i].name, size, io[i].size);
		if (!acl_is_dev_mem(p, io[i].size, &dev) || dev != m->dev)
			return acl_fail(ACL_ERROR_INVALID_PARAM, api,
					"%s %u (\"%s\"): %p is not %zu bytes of device %d's memory "
					"(aclrtMalloc)", what, i, io[i].name, p, io[i].size, m->dev);
		b[i].addr = (uint64_t)(uintptr_t)p;
		b[i].size = size;
	}
	return ACL_SUCCESS;
}

static void put_model(void *arg)
{
	acl_mdl_put(arg);
}

static aclError execute(const char *api, uint32_t id, const aclmdlDataset *input,
			aclmdlDataset *output, aclrtStream stream, bool wait)
{
	struct vascend_model_binding *b;
	struct acl_op_block *blk;
	struct vascend_task t;
	struct acl_model *m;
	uint32_t nbind;
	uint64_t seq;
	int32_t dev;
	aclError rc;

	rc = acl_check_init(api);
	if (rc)
		return rc;
	rc = acl_mdl_get(api, id, &m);
	if (rc)
		return rc;
	if (!dataset_ok(api, "input", input) || !dataset_ok(api, "output", output)) {
		rc = ACL_ERROR_INVALID_PARAM;
		goto out;
	}
	rc = acl_stream_device(api, stream, &dev);
	if (rc)
		goto out;
	if (dev != m->dev) {
		rc = acl_fail(ACL_ERROR_INVALID_PARAM, api,
			      "model %u was loaded on device %d, the stream is on device %d", id,
			      m->dev, dev);
		goto out;
	}
	/* aclrtResetDevice and aclFinalize free every allocation of the device */
	if (!acl_is_dev_mem(m->image, m->image_size, NULL) ||
	    (m->work && !acl_is_dev_mem(m->work, m->work_size, NULL))) {
		rc = acl_fail(ACL_ERROR_INVALID_MODEL_ID, api,
			      "model %u (\"%s\"): its device memory is gone (device %d was reset "
			      "since the load): unload it and load it again", id, m->name, m->dev);
		goto out;
	}
	nbind = m->nin + m->nout + 1;
	rc = acl_op_pool_get(api, dev, stream, nbind * sizeof(*b), &blk, (void **)&b);
	if (rc)
		goto out;
	memset(b, 0, nbind * sizeof(*b));
	rc = bind(api, m, input, false, b);
	if (!rc)
		rc = bind(api, m, output, true, b + m->nin);
	if (rc) {
		acl_op_pool_put(blk);
		goto out;
	}
	b[nbind - 1].addr = (uint64_t)(uintptr_t)m->work;
	b[nbind - 1].size = m->work ? m->work_size : 0;

	memset(&t, 0, sizeof(t));
	t.type = VASCEND_TASK_MODEL_EXECUTE;
	t.u.model.model = (uint64_t)(uintptr_t)m->image;
	t.u.model.model_size = m->image_size;
	t.u.model.bindings = (uint64_t)(uintptr_t)b;
	t.u.model.num_inputs = (uint16_t)m->nin;
	t.u.model.num_outputs = (uint16_t)m->nout;
	t.u.model.block_dim = 0;	/* every AI Core of the card */
	rc = acl_stream_submit_api(api, stream, &t, 1, &seq);
	if (rc) {
		acl_op_pool_put(blk);
		goto out;
	}
	if (wait) {
		rc = acl_stream_wait(api, stream, seq, -1);
		acl_op_pool_put(blk);
		if (rc) {
			const char *why = aclGetRecentErrMsg();
			size_t n = strlen(api);

			/* the stream's message starts with our api name already */
			if (why && !strncmp(why, api, n) && !strncmp(why + n, ": ", 2))
				why += n + 2;
			rc = acl_fail(rc, api, "model %u (\"%s\"): %s", id, m->name,
				      why ? why : "the execution failed");
		}
		goto out;
	}
	rc = acl_op_pool_put_after(api, stream, seq, blk);
	if (rc)
		goto out;
	/* the model's memory stays until the task is done, whatever aclmdlUnload does */
	if (!acl_stream_on_complete(api, stream, seq, put_model, m))
		return ACL_SUCCESS;
	rc = acl_stream_wait(api, stream, seq, -1);
out:
	acl_mdl_put(m);
	return rc;
}

ACL_FUNC_VISIBILITY aclError aclmdlExecute(uint32_t modelId, const aclmdlDataset *input,
					   aclmdlDataset *output)
{
	return execute("aclmdlExecute", modelId, input, output, NULL, true);
}

ACL_FUNC_VISIBILITY aclError aclmdlExecuteAsync(uint32_t modelId, const aclmdlDataset *input,
						aclmdlDataset *output, aclrtStream stream)
{
	return execute("aclmdlExecuteAsync", modelId, input, output, stream, false);
}
