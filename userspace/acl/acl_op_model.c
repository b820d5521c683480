// SPDX-License-Identifier: MIT
/*
 * Single-op models: aclopLoad and aclopSetModelDir accept the .om files
 * atc --singleop writes (docs/models.md, docs/om-format.md): each is parsed
 * and checked in full (userspace/om) and must hold exactly one task. In
 * CANN such a file carries the op's compiled kernel; on vascend every
 * kernel is built into the card's library, so a model adds nothing an op
 * needs to run: ops run from the library with or without one, with the
 * caller's descriptions and attributes. Loaded models are kept as a list
 * of (op type, inputs, outputs) for the log and the tests.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "acl_error.h"
#include "acl_log.h"
#include "acl_op_internal.h"
#include "om.h"

struct op_model {
	char op_type[64];
	uint32_t nin, nout;
};

/* Protects models, nmodels, cap and dir_set. */
static pthread_mutex_t model_lock = PTHREAD_MUTEX_INITIALIZER;
static struct op_model *models;
static size_t nmodels, cap;
static bool dir_set;

/* Check @len bytes at @buf (8-aligned) and remember the op. @what names it in messages. */
static aclError load(const char *api, const char *what, const void *buf, size_t len)
{
	struct om_view v;
	struct om_error err;
	struct op_model m;
	const char *name;
	int st = om_parse(buf, len, NULL, &v, &err);

	if (st == OM_E_NOMEM)
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "%s: out of memory", what);
	if (st)
		return acl_fail(st == OM_E_FILE ? ACL_ERROR_DESERIALIZE_MODEL : ACL_ERROR_PARSE_MODEL, api,
				"%s: not a valid .om model: %s", what, err.msg);
	if (v.hdr->num_tasks != 1)
		return acl_fail(ACL_ERROR_OP_LOAD_FAILED, api,
				"%s: not a single-op model (%u tasks; atc --singleop writes one)", what,
				v.hdr->num_tasks);
	name = om_str(&v, v.hdr->name_off);
	memset(&m, 0, sizeof(m));
	snprintf(m.op_type, sizeof(m.op_type), "%s", name);
	m.nin = v.tasks[0].num_inputs;
	m.nout = v.tasks[0].num_outputs;
	pthread_mutex_lock(&model_lock);
	if (nmodels == cap) {
		size_t c = cap ? cap * 2 : 16;
		struct op_model *p = realloc(models, c * sizeof(*p));

		if (!p) {
			pthread_mutex_unlock(&model_lock);
			return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
		}
		models = p;
		cap = c;
	}
	models[nmodels++] = m;
	pthread_mutex_unlock(&model_lock);
	ACL_LOG_INFO("%s: single-op model %s loaded (%s, %u inputs, %u outputs); the op runs from "
		     "the card's library", api, what, m.op_type, m.nin, m.nout);
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclopLoad(const void *model, size_t modelSize)
{
	const char *api = "aclopLoad";
	void *copy;
	aclError rc;

	if (!model)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "model is NULL");
	if (!modelSize)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "modelSize is 0");
	/* the parser wants 8-byte alignment; the caller's buffer may have any */
	copy = aligned_alloc(64, (modelSize + 63) & ~(size_t)63);
	if (!copy)
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory (%zu bytes)", modelSize);
	memcpy(copy, model, modelSize);
	rc = load(api, "the model in memory", copy, modelSize);
	free(copy);
	return rc;
}

static bool is_om(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && !strcmp(name + n - 3, ".om");
}

ACL_FUNC_VISIBILITY aclError aclopSetModelDir(const char *modelDir)
{
	const char *api = "aclopSetModelDir";
	char path[PATH_MAX], err[256];
	struct dirent *de;
	struct stat st;
	aclError rc = ACL_SUCCESS;
	unsigned int count = 0;
	DIR *d;

	if (!modelDir)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "modelDir is NULL");
	pthread_mutex_lock(&model_lock);
	if (dir_set) {
		pthread_mutex_unlock(&model_lock);
		return acl_fail(ACL_ERROR_REPEAT_INITIALIZE, api,
				"the model directory was already set (once per process)");
	}
	pthread_mutex_unlock(&model_lock);
	d = opendir(modelDir);
	if (!d)
		return acl_fail(ACL_ERROR_INVALID_FILE, api, "%s: %s", modelDir, strerror(errno));
	while (!rc && (de = readdir(d))) {
		size_t len;
		void *buf;

		if (!is_om(de->d_name))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", modelDir, de->d_name) >= (int)sizeof(path))
			continue;
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		buf = om_read_file(path, &len, err, sizeof(err));
		if (!buf) {
			rc = acl_fail(ACL_ERROR_READ_MODEL_FAILURE, api, "%s", err);
			break;
		}
		rc = load(api, path, buf, len);
		free(buf);
		count += !rc;
	}
	closedir(d);
	if (rc)
		return rc;
	pthread_mutex_lock(&model_lock);
	dir_set = true;
	pthread_mutex_unlock(&model_lock);
	ACL_LOG_INFO("%s: %u single-op models in %s", api, count, modelDir);
	return ACL_SUCCESS;
}

/* For tests: models loaded, and whether one is for @op_type. */
size_t acl_op_model_count(const char *op_type)
{
	size_t n = 0;

	pthread_mutex_lock(&model_lock);
	for (size_t i = 0; i < nmodels; i++)
		n += !op_type || !strcmp(models[i].op_type, op_type);
	pthread_mutex_unlock(&model_lock);
	return n;
}
