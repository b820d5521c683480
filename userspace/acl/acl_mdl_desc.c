// SPDX-License-Identifier: MIT
/*
 * aclmdlDesc: a snapshot of a loaded model's inputs and outputs (names,
 * dtypes, formats, dims, buffer sizes), taken by aclmdlGetDesc, so it stays
 * valid after the model is unloaded. The getters that return a value
 * rather than an aclError return CANN's "nothing" (0, "", ACL_FORMAT_UNDEFINED,
 * ACL_DT_UNDEFINED) for a NULL description or an index out of range, and
 * record why for aclGetRecentErrMsg.
 */
#include <stdlib.h>
#include <string.h>

#include "acl_error.h"
#include "acl_mdl_internal.h"

void acl_mdl_io_free(struct acl_mdl_io *io, uint32_t n)
{
	if (!io)
		return;
	for (uint32_t i = 0; i < n; i++)
		free(io[i].name);
	free(io);
}

aclError acl_mdl_io_copy(const char *api, const struct om_view *v, struct acl_mdl_io **out)
{
	uint32_t nin = v->hdr->num_inputs, nout = v->hdr->num_outputs;
	struct acl_mdl_io *io = calloc(nin + nout ? nin + nout : 1, sizeof(*io));

	if (!io)
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory for the model's IO");
	for (uint32_t i = 0; i < nin + nout; i++) {
		const struct om_io *e = i < nin ? &v->inputs[i] : &v->outputs[i - nin];

		io[i].name = strdup(om_str(v, e->name_off));
		if (!io[i].name) {
			acl_mdl_io_free(io, nin + nout);
			return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory for the model's IO");
		}
		io[i].dtype = (aclDataType)e->dtype;
		io[i].format = (aclFormat)e->format;
		io[i].ndim = e->ndim;
		memcpy(io[i].dims, e->dims, sizeof(io[i].dims));
		io[i].size = (size_t)e->size;
	}
	*out = io;
	return ACL_SUCCESS;
}

static bool desc_ok(const char *api, const aclmdlDesc *d)
{
	if (!d) {
		acl_fail(ACL_ERROR_INVALID_PARAM, api, "modelDesc is NULL");
		return false;
	}
	if (d->magic != ACL_MDL_DESC_MAGIC) {
		acl_fail(ACL_ERROR_INVALID_PARAM, api,
			 "modelDesc is not an aclmdlDesc (create it with aclmdlCreateDesc)");
		return false;
	}
	return true;
}

/* Input (@out false) or output @index of @d, or NULL (recorded). */
static const struct acl_mdl_io *io_at(const char *api, const aclmdlDesc *d, size_t index, bool out)
{
	uint32_t n;

	if (!desc_ok(api, d))
		return NULL;
	n = out ? d->nout : d->nin;
	if (index >= n) {
		acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s index %zu out of range: the model has %u%s",
			 out ? "output" : "input", index, n,
			 d->io ? "" : " (the description is empty: fill it with aclmdlGetDesc)");
		return NULL;
	}
	return &d->io[out ? d->nin + index : index];
}

ACL_FUNC_VISIBILITY aclmdlDesc *aclmdlCreateDesc(void)
{
	aclmdlDesc *d = calloc(1, sizeof(*d));

	if (!d) {
		acl_fail(ACL_ERROR_BAD_ALLOC, "aclmdlCreateDesc", "out of memory");
		return NULL;
	}
	d->magic = ACL_MDL_DESC_MAGIC;
	return d;
}

static void desc_clear(aclmdlDesc *d)
{
	acl_mdl_io_free(d->io, d->nin + d->nout);
	d->io = NULL;
	d->nin = d->nout = 0;
}

ACL_FUNC_VISIBILITY aclError aclmdlDestroyDesc(aclmdlDesc *modelDesc)
{
	if (!desc_ok("aclmdlDestroyDesc", modelDesc))
		return ACL_ERROR_INVALID_PARAM;
	desc_clear(modelDesc);
	modelDesc->magic = 0;
	free(modelDesc);
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclmdlGetDesc(aclmdlDesc *modelDesc, uint32_t modelId)
{
	const char *api = "aclmdlGetDesc";
	struct acl_mdl_io *io;
	struct acl_model *m;
	uint32_t n;
	aclError rc;

	if (!desc_ok(api, modelDesc))
		return ACL_ERROR_INVALID_PARAM;
	rc = acl_mdl_get(api, modelId, &m);
	if (rc)
		return rc;
	n = m->nin + m->nout;
	io = calloc(n ? n : 1, sizeof(*io));
	if (!io) {
		acl_mdl_put(m);
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
	}
	for (uint32_t i = 0; i < n; i++) {
		io[i] = m->io[i];
		io[i].name = strdup(m->io[i].name);
		if (!io[i].name) {
			acl_mdl_io_free(io, i);
			acl_mdl_put(m);
			return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
		}
	}
	desc_clear(modelDesc);
	modelDesc->io = io;
	modelDesc->nin = m->nin;
	modelDesc->nout = m->nout;
	acl_mdl_put(m);
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY size_t aclmdlGetNumInputs(aclmdlDesc *modelDesc)
{
	return desc_ok("aclmdlGetNumInputs", modelDesc) ? modelDesc->nin : 0;
}

ACL_FUNC_VISIBILITY size_t aclmdlGetNumOutputs(aclmdlDesc *modelDesc)
{
	return desc_ok("aclmdlGetNumOutputs", modelDesc) ? modelDesc->nout : 0;
}

ACL_FUNC_VISIBILITY size_t aclmdlGetInputSizeByIndex(aclmdlDesc *modelDesc, size_t index)
{
	const struct acl_mdl_io *io = io_at("aclmdlGetInputSizeByIndex", modelDesc, index, false);

	return io ? io->size : 0;
}

ACL_FUNC_VISIBILITY size_t aclmdlGetOutputSizeByIndex(aclmdlDesc *modelDesc, size_t index)
{
	const struct acl_mdl_io *io = io_at("aclmdlGetOutputSizeByIndex", modelDesc, index, true);

	return io ? io->size : 0;
}

static aclError get_dims(const char *api, const aclmdlDesc *d, size_t index, aclmdlIODims *dims,
			 bool out)
{
	const struct acl_mdl_io *io;

	if (!dims)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "dims is NULL");
	io = io_at(api, d, index, out);
	if (!io)
		return ACL_ERROR_INVALID_PARAM;
	memset(dims, 0, sizeof(*dims));
	/* CANN truncates a longer name to the field, NUL included */
	strncpy(dims->name, io->name, sizeof(dims->name) - 1);
	dims->dimCount = io->ndim;
	for (uint32_t i = 0; i < io->ndim; i++)
		dims->dims[i] = io->dims[i];
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclmdlGetInputDims(const aclmdlDesc *modelDesc, size_t index,
						aclmdlIODims *dims)
{
	return get_dims("aclmdlGetInputDims", modelDesc, index, dims, false);
}

/* No static AIPP on vascend: the model's own input dims. */
ACL_FUNC_VISIBILITY aclError aclmdlGetInputDimsV2(const aclmdlDesc *modelDesc, size_t index,
						  aclmdlIODims *dims)
{
	return get_dims("aclmdlGetInputDimsV2", modelDesc, index, dims, false);
}

ACL_FUNC_VISIBILITY aclError aclmdlGetOutputDims(const aclmdlDesc *modelDesc, size_t index,
						 aclmdlIODims *dims)
{
	return get_dims("aclmdlGetOutputDims", modelDesc, index, dims, true);
}

ACL_FUNC_VISIBILITY aclError aclmdlGetCurOutputDims(const aclmdlDesc *modelDesc, size_t index,
						    aclmdlIODims *dims)
{
	return get_dims("aclmdlGetCurOutputDims", modelDesc, index, dims, true);
}

ACL_FUNC_VISIBILITY const char *aclmdlGetInputNameByIndex(const aclmdlDesc *modelDesc,
							  size_t index)
{
	const struct acl_mdl_io *io = io_at("aclmdlGetInputNameByIndex", modelDesc, index, false);

	return io ? io->name : "";
}

ACL_FUNC_VISIBILITY const char *aclmdlGetOutputNameByIndex(const aclmdlDesc *modelDesc,
							   size_t index)
{
	const struct acl_mdl_io *io = io_at("aclmdlGetOutputNameByIndex", modelDesc, index, true);

	return io ? io->name : "";
}

ACL_FUNC_VISIBILITY aclFormat aclmdlGetInputFormat(const aclmdlDesc *modelDesc, size_t index)
{
	const struct acl_mdl_io *io = io_at("aclmdlGetInputFormat", modelDesc, index, false);

	return io ? io->format : ACL_FORMAT_UNDEFINED;
}

ACL_FUNC_VISIBILITY aclFormat aclmdlGetOutputFormat(const aclmdlDesc *modelDesc, size_t index)
{
	const struct acl_mdl_io *io = io_at("aclmdlGetOutputFormat", modelDesc, index, true);

	return io ? io->format : ACL_FORMAT_UNDEFINED;
}

ACL_FUNC_VISIBILITY aclDataType aclmdlGetInputDataType(const aclmdlDesc *modelDesc, size_t index)
{
	const struct acl_mdl_io *io = io_at("aclmdlGetInputDataType", modelDesc, index, false);

	return io ? io->dtype : ACL_DT_UNDEFINED;
}

ACL_FUNC_VISIBILITY aclDataType aclmdlGetOutputDataType(const aclmdlDesc *modelDesc, size_t index)
{
	const struct acl_mdl_io *io = io_at("aclmdlGetOutputDataType", modelDesc, index, true);

	return io ? io->dtype : ACL_DT_UNDEFINED;
}

static aclError index_by_name(const char *api, const aclmdlDesc *d, const char *name,
			      size_t *index, bool out)
{
	uint32_t n, base;

	if (!desc_ok(api, d))
		return ACL_ERROR_INVALID_PARAM;
	if (!name)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "name is NULL");
	if (!index)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "index is NULL");
	n = out ? d->nout : d->nin;
	base = out ? d->nin : 0;
	for (uint32_t i = 0; i < n; i++) {
		if (!strcmp(d->io[base + i].name, name)) {
			*index = i;
			return ACL_SUCCESS;
		}
	}
	return acl_fail(ACL_ERROR_INVALID_PARAM, api, "the model has no %s named \"%s\"",
			out ? "output" : "input", name);
}

ACL_FUNC_VISIBILITY aclError aclmdlGetInputIndexByName(const aclmdlDesc *modelDesc,
						       const char *name, size_t *index)
{
	return index_by_name("aclmdlGetInputIndexByName", modelDesc, name, index, false);
}

ACL_FUNC_VISIBILITY aclError aclmdlGetOutputIndexByName(const aclmdlDesc *modelDesc,
							const char *name, size_t *index)
{
	return index_by_name("aclmdlGetOutputIndexByName", modelDesc, name, index, true);
}
