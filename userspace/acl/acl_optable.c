// SPDX-License-Identifier: MIT
/*
 * The firmware's op table of each device (VASCEND_IOCTL_GET_OP_TABLE),
 * read on first use and kept until the device is reset.
 */
#include <stdlib.h>
#include <string.h>

#include "acl_error.h"
#include "acl_runtime.h"

/* Read device @dev's table (lock held). */
static aclError load_locked(const char *api, int32_t dev)
{
	struct acl_device *d = &acl_rt.dev[dev];
	struct halVascendOpEntry *ops = NULL;
	uint32_t n = 0, got;
	drvError_t drv;

	drv = halVascendGetOpTable((uint32_t)dev, NULL, 0, &n);
	if (!drv && n) {
		ops = calloc(n, sizeof(*ops));
		if (!ops)
			return acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api, "no memory for the op table");
		drv = halVascendGetOpTable((uint32_t)dev, ops, n, &got);
		if (!drv && got < n)
			n = got;
	}
	if (drv) {
		free(ops);
		return acl_fail_hal(acl_code_from_drv(drv), api, "cannot read device %d's op table",
				    dev);
	}
	d->ops = ops ? ops : calloc(1, sizeof(*ops));	/* non-NULL: loaded */
	d->n_ops = n;
	return ACL_SUCCESS;
}

aclError acl_op_lookup(const char *api, int32_t dev, const char *name, uint32_t *op_id,
		       uint32_t *version)
{
	struct acl_device *d;
	aclError ret;
	uint32_t i;

	if (!name)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "op name is NULL");
	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (dev < 0 || dev >= ACL_MAX_DEVICES || !acl_rt.dev[dev].open) {
		acl_unlock();
		return acl_fail(ACL_ERROR_RT_CONTEXT_NULL, api, "device %d is not set", dev);
	}
	d = &acl_rt.dev[dev];
	if (!d->ops) {
		ret = load_locked(api, dev);
		if (ret) {
			acl_unlock();
			return ret;
		}
	}
	for (i = 0; i < d->n_ops; i++) {
		if (!strncmp(d->ops[i].name, name, sizeof(d->ops[i].name))) {
			if (op_id)
				*op_id = d->ops[i].opId;
			if (version)
				*version = d->ops[i].version;
			acl_unlock();
			return ACL_SUCCESS;
		}
	}
	acl_unlock();
	return acl_fail(ACL_ERROR_OP_NOT_FOUND, api,
			"op \"%s\" is not in device %d's firmware op table (%u ops)", name, dev,
			d->n_ops);
}
