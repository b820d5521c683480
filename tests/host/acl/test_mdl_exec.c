// SPDX-License-Identifier: MIT
/*
 * aclmdlExecute end to end on the host: fake cards whose MODEL_EXECUTE
 * runs the device's model runner (qemu-device/model) and operator library
 * in this process, reading the image, the bindings and the buffers through
 * the fake's address translation as the device does. A model built with
 * the .om writer goes through aclmdlLoadFromMem, aclmdlExecute and
 * aclmdlExecuteAsync; its outputs are checked against the same arithmetic
 * on the host; a model the runner refuses at execution reports the
 * failing task.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "acl_test.h"
#include "amdl.h"
#include "aop.h"
#include "om.h"
#include "test_mdl_model.h"
#include "vascend_op.h"
#include "vascend_queue_hw.h"

static unsigned int runs;

/* The device's MODEL_EXECUTE (anpu_model.c + anpu_oplib_model.c), in brief. */
static uint32_t run_model(void *ctx, uint32_t dev, const struct vascend_task *t, uint32_t *info,
			  uint64_t *result)
{
	uint32_t nin = t->u.model.num_inputs, nout = t->u.model.num_outputs, nb = nin + nout + 1;
	struct amdl_buffer bufs[16];
	struct aop_ctx actx = { .threads = 2, .reference = false };
	const struct vascend_model_binding *b;
	struct amdl_model *m;
	struct amdl_error err;
	struct amdl_exec x;
	uint64_t woff, wsize, need;
	const uint8_t *img;
	void *ws = NULL;
	uint32_t status = VASCEND_CQE_STATUS_SUCCESS;

	(void)ctx;
	runs++;
	img = hal_fake_dev_ptr(dev, t->u.model.model, t->u.model.model_size, false);
	b = hal_fake_dev_ptr(dev, t->u.model.bindings, nb * sizeof(*b), false);
	if (!img || !b) {
		*result = img ? t->u.model.bindings : t->u.model.model;
		return VASCEND_CQE_STATUS_MMU_FAULT;
	}
	if (amdl_load(img, t->u.model.model_size, &m, &err)) {
		*info = VASCEND_MODEL_ERR_INFO(err.status == AMDL_E_FILE ? VASCEND_MODEL_ERR_FILE :
					       VASCEND_MODEL_ERR_MODEL, VASCEND_MODEL_ERR_NONE);
		return VASCEND_CQE_STATUS_MODEL_INVALID;
	}
	if (amdl_num_inputs(m) != nin || amdl_num_outputs(m) != nout || nb - 1 > 16) {
		*info = VASCEND_MODEL_ERR_INFO(VASCEND_MODEL_ERR_COUNT, VASCEND_MODEL_ERR_NONE);
		amdl_free(m);
		return VASCEND_CQE_STATUS_INVALID_FIELD;
	}
	for (uint32_t i = 0; i < nb; i++) {
		need = i < nin ? amdl_input(m, i)->size :
		       i < nin + nout ? amdl_output(m, i - nin)->size : amdl_workspace_size(m);
		if (b[i].size < need) {
			*info = VASCEND_MODEL_ERR_INFO(VASCEND_MODEL_ERR_SIZE, i);
			amdl_free(m);
			return VASCEND_CQE_STATUS_INVALID_FIELD;
		}
		if (!need)
			continue;
		if (i == nb - 1) {
			ws = hal_fake_dev_ptr(dev, b[i].addr, need, true);
		} else {
			bufs[i].data = hal_fake_dev_ptr(dev, b[i].addr, need, i >= nin);
			bufs[i].size = need;
		}
		if (i == nb - 1 ? !ws : !bufs[i].data) {
			*result = b[i].addr;
			amdl_free(m);
			return VASCEND_CQE_STATUS_MMU_FAULT;
		}
	}
	amdl_weights_span(m, &woff, &wsize);
	memset(&x, 0, sizeof(x));
	x.inputs = bufs;
	x.num_inputs = nin;
	x.outputs = bufs + nin;
	x.num_outputs = nout;
	x.weights = img + woff;
	x.weights_size = wsize;
	x.workspace = ws;
	x.workspace_size = amdl_workspace_size(m);
	if (amdl_execute(m, &actx, &x, &err)) {
		*info = VASCEND_MODEL_ERR_INFO(VASCEND_OP_ERR_UNSUPPORTED, (uint32_t)err.task);
		*result = err.task >= 0 ? aop_find_cann(amdl_task_op(m, (uint32_t)err.task)) : 0;
		status = VASCEND_CQE_STATUS_OP_ERROR;
	}
	amdl_free(m);
	return status;
}

static void setup(void)
{
	static struct vascend_op_entry table[256];
	unsigned int n = 0;

	FAKE_CARDS(64 * MiB, 0);
	for (size_t i = 0; i < aop_op_count() && n < ARRAY_SIZE(table); i++, n++) {
		const struct aop_op_info *o = aop_op_at(i);

		table[n].op_id = o->id;
		table[n].version = o->version;
		snprintf(table[n].name, sizeof(table[n].name), "%s", o->cann);
	}
	if (hal_fake_set_op_table(table, n))
		bail_out("cannot set the fake op table");
	hal_fake_set_model(run_model, NULL);
}

struct bufs {
	void *x, *y, *z;
	aclDataBuffer *b[3];
	aclmdlDataset *in, *out;
};

static void bufs_new(struct bufs *s, const float x[6], const float y[3])
{
	if (aclrtMalloc(&s->x, 24, ACL_MEM_MALLOC_HUGE_FIRST) ||
	    aclrtMalloc(&s->y, 12, ACL_MEM_MALLOC_HUGE_FIRST) ||
	    aclrtMalloc(&s->z, 24, ACL_MEM_MALLOC_HUGE_FIRST) ||
	    aclrtMemcpy(s->x, 24, x, 24, ACL_MEMCPY_HOST_TO_DEVICE) ||
	    aclrtMemcpy(s->y, 12, y, 12, ACL_MEMCPY_HOST_TO_DEVICE))
		bail_out("device buffers");
	s->b[0] = aclCreateDataBuffer(s->x, 24);
	s->b[1] = aclCreateDataBuffer(s->y, 12);
	s->b[2] = aclCreateDataBuffer(s->z, 24);
	s->in = aclmdlCreateDataset();
	s->out = aclmdlCreateDataset();
	aclmdlAddDatasetBuffer(s->in, s->b[0]);
	aclmdlAddDatasetBuffer(s->in, s->b[1]);
	aclmdlAddDatasetBuffer(s->out, s->b[2]);
}

static void bufs_free(struct bufs *s)
{
	aclmdlDestroyDataset(s->in);
	aclmdlDestroyDataset(s->out);
	for (int i = 0; i < 3; i++)
		aclDestroyDataBuffer(s->b[i]);
	aclrtFree(s->x);
	aclrtFree(s->y);
	aclrtFree(s->z);
}

/* Largest |got - want| over |want| (floor 1). */
static double rel_err(const struct bufs *s, const float x[6], const float y[3])
{
	float want[6], got[6];
	double worst = 0;

	mdl_reference(x, y, want);
	if (aclrtMemcpy(got, 24, s->z, 24, ACL_MEMCPY_DEVICE_TO_HOST))
		return INFINITY;
	for (int i = 0; i < 6; i++) {
		double e = fabs((double)got[i] - want[i]) / fmax(fabs(want[i]), 1.0);

		worst = fmax(worst, e);
	}
	return worst;
}

int main(void)
{
	const float x1[6] = { -9, -1, 0, 0.5f, 2, -20 }, y1[3] = { 1, -2, 3 };
	const float x2[6] = { 3, 1e3f, -1e3f, 0.25f, -7, 0 }, y2[3] = { -0.5f, 4, -8 };
	struct bufs a, b;
	aclrtStream s;
	uint32_t id = 0, bad_id = 0;
	void *om, *om_bad;
	size_t len, len_bad;
	double e;

	setup();
	/* Add takes two inputs: as the third task's op it is refused when it runs */
	if (mdl_build(&om, &len) || mdl_build_ops(&om_bad, &len_bad, MDL_OP_ADD))
		bail_out("cannot build the models");
	CHECK_RET(aclInit(NULL), ACL_SUCCESS);
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclmdlLoadFromMem(om, len, &id), ACL_SUCCESS);
	bufs_new(&a, x1, y1);
	bufs_new(&b, x2, y2);

	CHECK_RET(aclmdlExecute(id, a.in, a.out), ACL_SUCCESS);
	e = rel_err(&a, x1, y1);
	TAP_CHECK(e <= 1e-6, "aclmdlExecute through the model runner: LeakyRelu(X + W + Y) (max rel err %.2g)", e);
	TAP_CHECK(runs == 1, "one MODEL_EXECUTE ran the model's three tasks");
	CHECK_RET(aclmdlExecute(id, b.in, b.out), ACL_SUCCESS);
	e = rel_err(&b, x2, y2);
	TAP_CHECK(e <= 1e-6, "again on other inputs (max rel err %.2g)", e);

	CHECK_RET(aclrtCreateStream(&s), ACL_SUCCESS);
	aclrtMemset(a.z, 24, 0, 24);
	aclrtMemset(b.z, 24, 0, 24);
	CHECK_RET(aclmdlExecuteAsync(id, a.in, a.out, s), ACL_SUCCESS);
	CHECK_RET(aclmdlExecuteAsync(id, b.in, b.out, s), ACL_SUCCESS);
	CHECK_RET(aclrtSynchronizeStream(s), ACL_SUCCESS);
	TAP_CHECK(rel_err(&a, x1, y1) <= 1e-6 && rel_err(&b, x2, y2) <= 1e-6,
		  "two aclmdlExecuteAsync on one stream, both right after the synchronize");
	TAP_CHECK(runs == 4, "each execution is one task (%u so far)", runs);

	/* parses and loads (op ids exist), refused by the operator library when run */
	CHECK_RET(aclmdlLoadFromMem(om_bad, len_bad, &bad_id), ACL_SUCCESS);
	CHECK_RET_MSG(aclmdlExecute(bad_id, a.in, a.out), ACL_ERROR_RT_AICORE_EXCEPTION, "OP_ERROR");
	CHECK_RET(aclmdlExecute(id, a.in, a.out), ACL_SUCCESS);
	TAP_CHECK(rel_err(&a, x1, y1) <= 1e-6, "the stream works again after the failed model");

	CHECK_RET(aclrtDestroyStream(s), ACL_SUCCESS);
	CHECK_RET(aclmdlUnload(bad_id), ACL_SUCCESS);
	CHECK_RET(aclmdlUnload(id), ACL_SUCCESS);
	bufs_free(&a);
	bufs_free(&b);
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
	free(om);
	free(om_bad);
	return tap_done();
}
