// SPDX-License-Identifier: MIT
/*
 * aclmdlDataset: the ordered buffers of one side (inputs or outputs) of an
 * execution. It holds the caller's aclDataBuffer pointers, not copies: the
 * buffers stay the caller's to destroy, as in CANN. None of these need
 * aclInit.
 */
#include <stdlib.h>

#include "acl_error.h"
#include "acl_mdl_internal.h"

ACL_FUNC_VISIBILITY aclmdlDataset *aclmdlCreateDataset(void)
{
	aclmdlDataset *ds = calloc(1, sizeof(*ds));

	if (!ds) {
		acl_fail(ACL_ERROR_BAD_ALLOC, "aclmdlCreateDataset", "out of memory");
		return NULL;
	}
	ds->magic = ACL_MDL_DATASET_MAGIC;
	return ds;
}

static bool dataset_ok(const char *api, const aclmdlDataset *ds)
{
	if (!ds) {
		acl_fail(ACL_ERROR_INVALID_PARAM, api, "dataset is NULL");
		return false;
	}
	if (ds->magic != ACL_MDL_DATASET_MAGIC) {
		acl_fail(ACL_ERROR_INVALID_PARAM, api,
			 "dataset is not an aclmdlDataset (create it with aclmdlCreateDataset)");
		return false;
	}
	return true;
}

ACL_FUNC_VISIBILITY aclError aclmdlDestroyDataset(const aclmdlDataset *dataset)
{
	aclmdlDataset *ds = (aclmdlDataset *)dataset;

	if (!dataset_ok("aclmdlDestroyDataset", ds))
		return ACL_ERROR_INVALID_PARAM;
	ds->magic = 0;
	free(ds->bufs);
	free(ds);
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclmdlAddDatasetBuffer(aclmdlDataset *dataset,
						    aclDataBuffer *dataBuffer)
{
	const char *api = "aclmdlAddDatasetBuffer";

	if (!dataset_ok(api, dataset))
		return ACL_ERROR_INVALID_PARAM;
	if (!dataBuffer)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "dataBuffer is NULL");
	if (dataset->n == dataset->cap) {
		size_t cap = dataset->cap ? dataset->cap * 2 : 4;
		aclDataBuffer **p = realloc(dataset->bufs, cap * sizeof(*p));

		if (!p)
			return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
		dataset->bufs = p;
		dataset->cap = cap;
	}
	dataset->bufs[dataset->n++] = dataBuffer;
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY size_t aclmdlGetDatasetNumBuffers(const aclmdlDataset *dataset)
{
	return dataset_ok("aclmdlGetDatasetNumBuffers", dataset) ? dataset->n : 0;
}

ACL_FUNC_VISIBILITY aclDataBuffer *aclmdlGetDatasetBuffer(const aclmdlDataset *dataset,
							  size_t index)
{
	const char *api = "aclmdlGetDatasetBuffer";

	if (!dataset_ok(api, dataset))
		return NULL;
	if (index >= dataset->n) {
		acl_fail(ACL_ERROR_INVALID_PARAM, api, "index %zu out of range: the dataset has %zu buffers",
			 index, dataset->n);
		return NULL;
	}
	return dataset->bufs[index];
}
