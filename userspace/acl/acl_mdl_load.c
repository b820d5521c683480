// SPDX-License-Identifier: MIT
/*
 * Loading models: the .om is checked in full on the host first (om_parse:
 * every offset, size, count, name, dtype, shape, placement and the task
 * order, each op id against the device's firmware op table), so a
 * truncated, corrupt or hostile file is refused here with the field named,
 * never sent to the card. The image (header, task list, attributes and
 * weights: on vascend the card reads them all) is then copied into device
 * memory once, with the workspace an execution needs, and the model gets
 * an id. Executions name that device memory; the card parses and caches
 * the image on first use (docs/models.md).
 *
 * File errors (short, magic, version, size, checksum) are
 * ACL_ERROR_INVALID_FILE; content errors ACL_ERROR_PARSE_MODEL.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl_error.h"
#include "acl_log.h"
#include "acl_mdl_internal.h"
#include "vascend_queue_hw.h"

/* The card reads the image at this alignment (VASCEND_OP_MODEL_EXECUTE). */
#define IMAGE_ALIGN	64u

/* Protects models and next_id; refs of every model. */
static pthread_mutex_t mdl_lock = PTHREAD_MUTEX_INITIALIZER;
static struct acl_model *models[ACL_MDL_MAX_MODELS];
static uint32_t next_id = 1;

aclError acl_mdl_get(const char *api, uint32_t id, struct acl_model **out)
{
	pthread_mutex_lock(&mdl_lock);
	for (unsigned int i = 0; id && i < ACL_MDL_MAX_MODELS; i++) {
		if (models[i] && models[i]->id == id) {
			models[i]->refs++;
			*out = models[i];
			pthread_mutex_unlock(&mdl_lock);
			return ACL_SUCCESS;
		}
	}
	pthread_mutex_unlock(&mdl_lock);
	return acl_fail(ACL_ERROR_INVALID_MODEL_ID, api,
			"model id %u is not a loaded model (ids come from aclmdlLoadFrom*)", id);
}

static void model_free(struct acl_model *m)
{
	/*
	 * aclrtResetDevice and aclFinalize free every allocation of the
	 * device; what is gone then is not freed twice.
	 */
	if (m->own_image && acl_is_dev_mem(m->image, 0, NULL))
		acl_dev_free("aclmdlUnload", m->image);
	if (m->own_work && m->work && acl_is_dev_mem(m->work, 0, NULL))
		acl_dev_free("aclmdlUnload", m->work);
	acl_mdl_io_free(m->io, m->nin + m->nout);
	free(m);
}

void acl_mdl_put(struct acl_model *m)
{
	bool last;

	pthread_mutex_lock(&mdl_lock);
	last = !--m->refs;
	pthread_mutex_unlock(&mdl_lock);
	if (last)
		model_free(m);
}

/* The device's firmware op table, for om_parse's op id check. */
struct op_table {
	struct halVascendOpEntry *ops;
	uint32_t n;
};

static const char *op_check(void *arg, uint32_t op_id, uint32_t nin, uint32_t nout)
{
	const struct op_table *t = arg;

	(void)nin;
	(void)nout;
	for (uint32_t i = 0; i < t->n; i++)
		if (t->ops[i].opId == op_id)
			return NULL;
	return "op id not in the device's firmware op table";
}

static aclError read_op_table(const char *api, int32_t dev, struct op_table *t)
{
	uint32_t n = 0, got = 0;
	drvError_t drv;

	t->ops = NULL;
	t->n = 0;
	drv = halVascendGetOpTable((uint32_t)dev, NULL, 0, &n);
	if (!drv && n) {
		t->ops = calloc(n, sizeof(*t->ops));
		if (!t->ops)
			return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory for the op table");
		drv = halVascendGetOpTable((uint32_t)dev, t->ops, n, &got);
		t->n = got < n ? got : n;
	}
	if (drv) {
		free(t->ops);
		t->ops = NULL;
		return acl_fail_hal(acl_code_from_drv(drv), api,
				    "cannot read device %d's op table to check the model against", dev);
	}
	return ACL_SUCCESS;
}

/*
 * Parse and check @len bytes at @buf (8-byte aligned); @what names the
 * model in messages. @t NULL: op ids are not checked (aclmdlQuerySize).
 */
static aclError parse(const char *api, const char *what, const void *buf, size_t len,
		      struct op_table *t, struct om_view *v)
{
	struct om_parse_opts opts = { .op_check = t ? op_check : NULL, .op_arg = t };
	struct om_error err;
	int st = om_parse(buf, len, &opts, v, &err);

	switch (st) {
	case OM_OK:
		break;
	case OM_E_NOMEM:
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "%s: out of memory", what);
	case OM_E_FILE:
		return acl_fail(ACL_ERROR_INVALID_FILE, api, "%s: not an .om model: %s", what,
				err.msg);
	default:
		return acl_fail(ACL_ERROR_PARSE_MODEL, api, "%s: invalid .om model: %s", what,
				err.msg);
	}
	if (len > VASCEND_MODEL_MAX_SIZE)
		return acl_fail(ACL_ERROR_MODEL_SIZE_INVALID, api,
				"%s: %zu bytes; the card runs models up to %llu bytes", what, len,
				(unsigned long long)VASCEND_MODEL_MAX_SIZE);
	return ACL_SUCCESS;
}

/* A caller's device memory for @what: on device @dev, @size bytes, aligned. */
static aclError check_user_mem(const char *api, const char *what, void *p, size_t size,
			       size_t need, int32_t dev, unsigned int align)
{
	int32_t d;

	if (size < need)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"%s: %zu bytes given, the model needs %zu (aclmdlQuerySize)", what,
				size, need);
	if (!acl_is_dev_mem(p, need, &d) || d != dev)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"%s %p: not %zu bytes of device %d's memory (aclrtMalloc)", what, p,
				need, dev);
	if ((uintptr_t)p % align)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s %p: not %u-byte aligned", what, p,
				align);
	return ACL_SUCCESS;
}

/* Copy @len bytes from the host to device memory @dst, the message being ours. */
static aclError upload(const char *api, void *dst, const void *src, size_t len)
{
	aclError rc = aclrtMemcpy(dst, len, src, len, ACL_MEMCPY_HOST_TO_DEVICE);
	const char *why;

	if (!rc)
		return ACL_SUCCESS;
	why = aclGetRecentErrMsg();
	return acl_fail(rc, api, "copying the model to device memory: %s", why ? why : "failed");
}

static aclError insert(const char *api, struct acl_model *m)
{
	pthread_mutex_lock(&mdl_lock);
	for (unsigned int i = 0; i < ACL_MDL_MAX_MODELS; i++) {
		if (!models[i]) {
			m->id = next_id++;
			if (!next_id)
				next_id = 1;	/* 0 is never an id */
			m->refs = 1;
			models[i] = m;
			pthread_mutex_unlock(&mdl_lock);
			return ACL_SUCCESS;
		}
	}
	pthread_mutex_unlock(&mdl_lock);
	return acl_fail(ACL_ERROR_RT_RESOURCE_ALLOC_FAIL, api,
			"%u models are loaded already (unload one first)", ACL_MDL_MAX_MODELS);
}

/* Load @len bytes at @buf (64-byte aligned, the caller's). */
static aclError load(const char *api, const char *what, const void *buf, size_t len,
		     uint32_t *id, void *work, size_t work_size, void *weight, size_t weight_size)
{
	struct op_table t = { NULL, 0 };
	struct acl_model *m = NULL;
	struct om_view v;
	int32_t dev;
	aclError rc;

	rc = acl_current_device(api, &dev);
	if (rc)
		return rc;
	rc = read_op_table(api, dev, &t);
	if (rc)
		return rc;
	rc = parse(api, what, buf, len, &t, &v);
	free(t.ops);
	if (rc)
		return rc;
	m = calloc(1, sizeof(*m));
	if (!m)
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
	m->dev = dev;
	m->nin = v.hdr->num_inputs;
	m->nout = v.hdr->num_outputs;
	m->image_size = len;
	m->work_size = v.hdr->workspace_size;
	snprintf(m->name, sizeof(m->name), "%s", om_str(&v, v.hdr->name_off));
	rc = acl_mdl_io_copy(api, &v, &m->io);
	if (rc)
		goto fail;
	if (weight) {
		rc = check_user_mem(api, "weightPtr", weight, weight_size, len, dev, IMAGE_ALIGN);
		if (rc)
			goto fail;
		m->image = weight;
	} else {
		rc = acl_dev_malloc(api, dev, len, ACL_MEM_MALLOC_HUGE_FIRST, &m->image);
		if (rc)
			goto fail;
		m->own_image = true;
	}
	if (work) {
		rc = check_user_mem(api, "workPtr", work, work_size, m->work_size, dev, IMAGE_ALIGN);
		if (rc)
			goto fail;
		m->work = work;
	} else if (m->work_size) {
		rc = acl_dev_malloc(api, dev, m->work_size, ACL_MEM_MALLOC_HUGE_FIRST, &m->work);
		if (rc)
			goto fail;
		m->own_work = true;
	}
	rc = upload(api, m->image, buf, len);
	if (rc)
		goto fail;
	rc = insert(api, m);
	if (rc)
		goto fail;
	*id = m->id;
	ACL_LOG_INFO("%s: %s loaded as model %u on device %d (\"%s\": %u inputs, %u outputs, "
		     "%u tasks, image %zu bytes, workspace %llu bytes)", api, what, m->id, dev,
		     m->name, m->nin, m->nout, v.hdr->num_tasks, len,
		     (unsigned long long)m->work_size);
	return ACL_SUCCESS;

fail:
	m->refs = 1;
	acl_mdl_put(m);
	return rc;
}

/* @model into a 64-byte aligned copy (the parser needs 8; the card 64). */
static void *aligned_copy(const char *api, const void *model, size_t size, aclError *rc)
{
	void *copy;

	if (size > OM_MAX_FILE) {
		*rc = acl_fail(ACL_ERROR_MODEL_SIZE_INVALID, api,
			       "modelSize %zu: above the largest .om this runtime reads (%llu bytes)",
			       size, (unsigned long long)OM_MAX_FILE);
		return NULL;
	}
	copy = aligned_alloc(IMAGE_ALIGN, (size + IMAGE_ALIGN - 1) & ~(size_t)(IMAGE_ALIGN - 1));
	if (!copy) {
		*rc = acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory (%zu bytes)", size);
		return NULL;
	}
	memcpy(copy, model, size);
	return copy;
}

static void *read_file(const char *api, const char *path, size_t *len, aclError *rc)
{
	char err[256];
	void *buf;

	errno = 0;
	buf = om_read_file(path, len, err, sizeof(err));
	if (!buf)
		*rc = acl_fail(errno == ENOMEM ? ACL_ERROR_BAD_ALLOC : ACL_ERROR_READ_MODEL_FAILURE,
			       api, "%s", err);
	return buf;
}

static aclError load_file(const char *api, const char *path, uint32_t *id, void *work,
			  size_t work_size, void *weight, size_t weight_size)
{
	aclError rc;
	size_t len;
	void *buf;

	rc = acl_check_init(api);
	if (rc)
		return rc;
	if (!path)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "modelPath is NULL");
	if (!id)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "modelId is NULL");
	buf = read_file(api, path, &len, &rc);
	if (!buf)
		return rc;
	rc = load(api, path, buf, len, id, work, work_size, weight, weight_size);
	free(buf);
	return rc;
}

static aclError load_mem(const char *api, const void *model, size_t size, uint32_t *id,
			 void *work, size_t work_size, void *weight, size_t weight_size)
{
	aclError rc;
	void *copy;

	rc = acl_check_init(api);
	if (rc)
		return rc;
	if (!model)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "model is NULL");
	if (!size)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "modelSize is 0");
	if (!id)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "modelId is NULL");
	copy = aligned_copy(api, model, size, &rc);
	if (!copy)
		return rc;
	rc = load(api, "the model in memory", copy, size, id, work, work_size, weight,
		  weight_size);
	free(copy);
	return rc;
}

ACL_FUNC_VISIBILITY aclError aclmdlLoadFromFile(const char *modelPath, uint32_t *modelId)
{
	return load_file("aclmdlLoadFromFile", modelPath, modelId, NULL, 0, NULL, 0);
}

ACL_FUNC_VISIBILITY aclError aclmdlLoadFromMem(const void *model, size_t modelSize,
					       uint32_t *modelId)
{
	return load_mem("aclmdlLoadFromMem", model, modelSize, modelId, NULL, 0, NULL, 0);
}

ACL_FUNC_VISIBILITY aclError aclmdlLoadFromFileWithMem(const char *modelPath, uint32_t *modelId,
						       void *workPtr, size_t workSize,
						       void *weightPtr, size_t weightSize)
{
	return load_file("aclmdlLoadFromFileWithMem", modelPath, modelId, workPtr, workSize,
			 weightPtr, weightSize);
}

ACL_FUNC_VISIBILITY aclError aclmdlLoadFromMemWithMem(const void *model, size_t modelSize,
						      uint32_t *modelId, void *workPtr,
						      size_t workSize, void *weightPtr,
						      size_t weightSize)
{
	return load_mem("aclmdlLoadFromMemWithMem", model, modelSize, modelId, workPtr, workSize,
			weightPtr, weightSize);
}

static aclError query(const char *api, const char *what, const void *buf, size_t len,
		      size_t *work_size, size_t *weight_size)
{
	struct om_view v;
	aclError rc = parse(api, what, buf, len, NULL, &v);

	if (rc)
		return rc;
	*work_size = (size_t)v.hdr->workspace_size;
	*weight_size = len;
	return ACL_SUCCESS;
}

/* Needs no device: only the file is read (as in CANN). */
ACL_FUNC_VISIBILITY aclError aclmdlQuerySize(const char *fileName, size_t *workSize,
					     size_t *weightSize)
{
	const char *api = "aclmdlQuerySize";
	aclError rc;
	size_t len;
	void *buf;

	if (!fileName)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "fileName is NULL");
	if (!workSize || !weightSize)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s is NULL",
				workSize ? "weightSize" : "workSize");
	buf = read_file(api, fileName, &len, &rc);
	if (!buf)
		return rc;
	rc = query(api, fileName, buf, len, workSize, weightSize);
	free(buf);
	return rc;
}

ACL_FUNC_VISIBILITY aclError aclmdlQuerySizeFromMem(const void *model, size_t modelSize,
						    size_t *workSize, size_t *weightSize)
{
	const char *api = "aclmdlQuerySizeFromMem";
	aclError rc;
	void *copy;

	if (!model)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "model is NULL");
	if (!modelSize)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "modelSize is 0");
	if (!workSize || !weightSize)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s is NULL",
				workSize ? "weightSize" : "workSize");
	copy = aligned_copy(api, model, modelSize, &rc);
	if (!copy)
		return rc;
	rc = query(api, "the model in memory", copy, modelSize, workSize, weightSize);
	free(copy);
	return rc;
}

ACL_FUNC_VISIBILITY aclError aclmdlUnload(uint32_t modelId)
{
	const char *api = "aclmdlUnload";
	struct acl_model *m = NULL;
	aclError rc;

	rc = acl_check_init(api);
	if (rc)
		return rc;
	pthread_mutex_lock(&mdl_lock);
	for (unsigned int i = 0; modelId && i < ACL_MDL_MAX_MODELS; i++) {
		if (models[i] && models[i]->id == modelId) {
			m = models[i];
			models[i] = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&mdl_lock);
	if (!m)
		return acl_fail(ACL_ERROR_INVALID_MODEL_ID, api,
				"model id %u is not a loaded model (ids come from aclmdlLoadFrom*)",
				modelId);
	ACL_LOG_INFO("%s: model %u (\"%s\") unloaded", api, m->id, m->name);
	/* memory still read by queued executions goes with their last reference */
	acl_mdl_put(m);
	return ACL_SUCCESS;
}
