/* SPDX-License-Identifier: MIT */
/*
 * The model API's shared state (docs/models.md, "aclmdl"):
 *   acl_mdl_desc.c     aclmdlDesc and its getters
 *   acl_mdl_dataset.c  aclmdlDataset
 *   acl_mdl_load.c     loading (parse, check, upload once), the id table,
 *                      aclmdlQuerySize*, aclmdlUnload
 *   acl_mdl_exec.c     aclmdlExecute*: one MODEL_EXECUTE task per call
 *
 * A loaded model is reference counted: the id table holds one reference,
 * every call that uses it holds one while it runs, and every queued
 * asynchronous execution one until its task has completed, so aclmdlUnload
 * never frees memory a queued task still reads.
 */
#ifndef VASCEND_ACL_MDL_INTERNAL_H
#define VASCEND_ACL_MDL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acl/acl.h"
#include "om.h"

#define ACL_MDL_DESC_MAGIC	0x4353444du	/* "MDSC" */
#define ACL_MDL_DATASET_MAGIC	0x5344444du	/* "MDDS" */
/* Models loaded at once in a process. */
#define ACL_MDL_MAX_MODELS	1024

/* One model input or output as the .om describes it. */
struct acl_mdl_io {
	char *name;
	aclDataType dtype;
	aclFormat format;
	uint32_t ndim;
	int64_t dims[OM_MAX_DIMS];
	size_t size;
};

struct aclmdlDesc {
	uint32_t magic;
	uint32_t nin, nout;
	struct acl_mdl_io *io;	/* inputs, then outputs; NULL until aclmdlGetDesc */
};

struct aclmdlDataset {
	uint32_t magic;
	size_t n, cap;
	aclDataBuffer **bufs;
};

struct acl_model {
	uint32_t id;
	int32_t dev;
	unsigned int refs;	/* under the table's lock */
	uint32_t nin, nout;
	struct acl_mdl_io *io;	/* nin + nout */
	void *image;		/* device memory: the whole .om */
	uint64_t image_size;
	bool own_image;		/* allocated by the runtime (else the caller's weightPtr) */
	void *work;		/* device memory, NULL when the model needs none */
	uint64_t work_size;
	bool own_work;
	char name[64];		/* for messages */
};

/* Copy a parsed model's IO into a new array (*@io, nin + nout entries). */
aclError acl_mdl_io_copy(const char *api, const struct om_view *v, struct acl_mdl_io **io);
void acl_mdl_io_free(struct acl_mdl_io *io, uint32_t n);

/* The model of @id with a reference held; ACL_ERROR_INVALID_MODEL_ID (recorded). */
aclError acl_mdl_get(const char *api, uint32_t id, struct acl_model **m);
/* Drop a reference; the last one frees the model's memory. */
void acl_mdl_put(struct acl_model *m);

#endif /* VASCEND_ACL_MDL_INTERNAL_H */
