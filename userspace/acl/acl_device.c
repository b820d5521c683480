// SPDX-License-Identifier: MIT
/*
 * Devices: counting, setting and resetting them, what they are (SoC name,
 * run mode), waiting for all their work; opening a device on first use in
 * the process and tearing down everything the process holds on it when the
 * last user (aclrtSetDevice count, explicit context) is gone.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "acl_error.h"
#include "acl_log.h"
#include "acl_runtime.h"
#include "acl_op_internal.h"

static aclError check_id_range(const char *api, int32_t id)
{
	if (id < 0 || id >= ACL_MAX_DEVICES)
		return acl_fail(ACL_ERROR_RT_INVALID_DEVICEID, api, "device id %d is out of range [0, %d)",
				id, ACL_MAX_DEVICES);
	return ACL_SUCCESS;
}

bool acl_device_live_locked(int32_t dev)
{
	return dev >= 0 && dev < ACL_MAX_DEVICES && acl_rt.dev[dev].open;
}

aclError acl_device_get_locked(const char *api, int32_t id)
{
	struct acl_device *d = &acl_rt.dev[id];
	drvError_t drv;
	aclError ret;

	if (d->open)
		return ACL_SUCCESS;
	drv = drvDeviceOpen(NULL, (uint32_t)id);
	if (drv) {
		if (drv == DRV_ERROR_INVALID_DEVICE)
			return acl_fail_hal(ACL_ERROR_RT_INVALID_DEVICEID, api, "device %d not found",
					    id);
		return acl_fail_hal(acl_code_from_drv(drv), api, "cannot open device %d", id);
	}
	drv = halVascendGetInfo((uint32_t)id, &d->info);
	if (drv) {
		ret = acl_fail_hal(acl_code_from_drv(drv), api, "cannot query device %d", id);
		goto close;
	}
	if ((d->info.caps & (HAL_VASCEND_CAP_STREAMS | HAL_VASCEND_CAP_SVM)) !=
	    (HAL_VASCEND_CAP_STREAMS | HAL_VASCEND_CAP_SVM)) {
		ret = acl_fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT, api,
			       "device %d: its driver offers no %s (caps 0x%" PRIx64
			       "): is the driver older than uapi 1.1?", id,
			       d->info.caps & HAL_VASCEND_CAP_STREAMS ? "device memory (SVM)" :
									 "streams",
			       d->info.caps);
		goto close;
	}
	d->open = true;
	ACL_LOG_INFO("device %d opened: %s, %" PRIu64 " bytes of HBM, %u AI Cores", id,
		     d->info.socName, d->info.hbmSize, d->info.aicoreCount);
	return ACL_SUCCESS;

close:
	drvDeviceClose((uint32_t)id);
	memset(&d->info, 0, sizeof(d->info));
	return ret;
}

/* Everything the process holds on @id goes, then the device is closed. */
static void device_teardown_locked(int32_t id)
{
	struct acl_device *d = &acl_rt.dev[id];
	struct acl_stream *s, *next;
	drvError_t drv;

	if (d->default_ctx) {
		acl_context_free_locked(d->default_ctx);
		d->default_ctx = NULL;
	}
	/* user streams of contexts destroyed meanwhile are gone; copiers last */
	for (s = acl_rt.streams; s; s = next) {
		next = s->next;
		if (s->dev == id && !s->internal) {
			acl_stream_free_locked(s);
			next = acl_rt.streams;	/* the list may have changed while unlocked */
		}
	}
	acl_events_of_device_free_locked(id);
	acl_copiers_free_locked(id);
	acl_slabs_free_locked(id);
	/* the op pool's chunks live in pinned memory the next line frees */
	acl_op_pool_device_reset(id);
	acl_pinned_drop_device_locked(id);
	drv = halVascendMemFreeAll((uint32_t)id);
	if (drv)
		ACL_LOG_WARN("device %d: freeing its memory: %s", id, halVascendLastErrorMsg());
	free(d->ops);
	d->ops = NULL;
	d->n_ops = 0;
	drvDeviceClose((uint32_t)id);
	d->open = false;
	memset(&d->info, 0, sizeof(d->info));
	ACL_LOG_INFO("device %d closed", id);
}

void acl_device_put_locked(int32_t id)
{
	struct acl_device *d = &acl_rt.dev[id];

	if (d->open && !d->set_refs && !d->ctx_refs)
		device_teardown_locked(id);
}

void acl_device_close_all_locked(void)
{
	struct acl_context *c, *next;
	int32_t id;

	/* explicit contexts the program did not destroy */
	for (c = acl_rt.contexts; c; c = next) {
		next = c->next;
		if (!c->is_default) {
			acl_rt.dev[c->dev].ctx_refs--;
			acl_context_free_locked(c);
			next = acl_rt.contexts;
		}
	}
	for (id = 0; id < ACL_MAX_DEVICES; id++) {
		acl_rt.dev[id].set_refs = 0;
		acl_rt.dev[id].ctx_refs = 0;
		if (acl_rt.dev[id].open)
			device_teardown_locked(id);
	}
}

ACL_FUNC_VISIBILITY aclError aclrtGetDeviceCount(uint32_t *count)
{
	static const char api[] = "aclrtGetDeviceCount";
	drvError_t drv;
	aclError ret;
	uint32_t n;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!count) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "count is NULL");
		goto unlock;
	}
	drv = drvGetDevNum(&n);
	if (drv) {
		ret = acl_fail_hal(acl_code_from_drv(drv), api, "cannot count devices");
		goto unlock;
	}
	*count = n;
	if (!n)
		ret = acl_fail(ACL_ERROR_RT_NO_DEVICE, api, "no Ascend device: no /dev/davinciN node%s",
			       acl_driver_hint_text());
unlock:
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtSetDevice(int32_t deviceId)
{
	static const char api[] = "aclrtSetDevice";
	struct acl_device *d;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	ret = check_id_range(api, deviceId);
	if (ret)
		goto unlock;
	ret = acl_device_get_locked(api, deviceId);
	if (ret)
		goto unlock;
	d = &acl_rt.dev[deviceId];
	if (d->set_refs == UINT_MAX) {
		ret = acl_fail(ACL_ERROR_RT_OVER_LIMIT, api, "device %d set too many times", deviceId);
		goto unlock;
	}
	if (!d->default_ctx) {
		d->default_ctx = acl_context_new_locked(deviceId, true);
		if (!d->default_ctx) {
			ret = acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api,
				       "no memory for device %d's context", deviceId);
			acl_device_put_locked(deviceId);
			goto unlock;
		}
	}
	d->set_refs++;
	acl_set_current_context(d->default_ctx);
unlock:
	acl_unlock();
	return ret;
}

/* With the lock held: whether /dev/davinci@id exists; records why not. */
static aclError check_present_locked(const char *api, int32_t id)
{
	uint32_t ids[ACL_MAX_DEVICES], n, i;
	drvError_t drv;

	drv = drvGetDevNum(&n);
	if (!drv)
		drv = drvGetDevIDs(ids, ACL_MAX_DEVICES);
	if (drv)
		return acl_fail_hal(acl_code_from_drv(drv), api, "cannot list devices");
	for (i = 0; i < n; i++)
		if (ids[i] == (uint32_t)id)
			return ACL_SUCCESS;
	return acl_fail(ACL_ERROR_RT_INVALID_DEVICEID, api, "device %d not found%s", id,
			acl_driver_hint_text());
}

ACL_FUNC_VISIBILITY aclError aclrtResetDevice(int32_t deviceId)
{
	static const char api[] = "aclrtResetDevice";
	struct acl_device *d;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	ret = check_id_range(api, deviceId);
	if (ret)
		goto unlock;
	d = &acl_rt.dev[deviceId];
	if (!d->set_refs) {
		/* as in CANN, resetting a device that is not set does nothing */
		ret = check_present_locked(api, deviceId);
		if (!ret)
			ACL_LOG_WARN("%s: device %d is not set; nothing to reset", api, deviceId);
		goto unlock;
	}
	if (--d->set_refs == 0) {
		/* the default context, its streams (after their work), then maybe all */
		if (d->default_ctx) {
			acl_context_free_locked(d->default_ctx);
			d->default_ctx = NULL;
		}
		acl_device_put_locked(deviceId);
	}
unlock:
	acl_unlock();
	return ret;
}

aclError acl_current_device(const char *api, int32_t *dev)
{
	struct acl_context *ctx;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	ctx = acl_current_context_locked();
	if (ctx)
		*dev = ctx->dev;
	else
		ret = acl_fail(ACL_ERROR_RT_CONTEXT_NULL, api,
			       "no current context in this thread; call aclrtSetDevice or "
			       "aclrtSetCurrentContext first");
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtGetDevice(int32_t *deviceId)
{
	static const char api[] = "aclrtGetDevice";
	int32_t id = -1;
	aclError ret;

	if (!deviceId) {
		ret = acl_check_init(api);
		return ret ? ret : acl_fail(ACL_ERROR_INVALID_PARAM, api, "deviceId is NULL");
	}
	ret = acl_current_device(api, &id);
	if (!ret)
		*deviceId = id;
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtGetRunMode(aclrtRunMode *runMode)
{
	if (!runMode)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclrtGetRunMode", "runMode is NULL");
	/* the program always runs on the host; the card is behind PCIe */
	*runMode = ACL_HOST;
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY const char *aclrtGetSocName(void)
{
	static const char api[] = "aclrtGetSocName";
	struct halVascendDeviceInfo info;
	uint32_t ids[ACL_MAX_DEVICES], n;
	struct acl_context *ctx;
	const char *name = NULL;
	drvError_t drv;
	int32_t id;

	if (acl_lock_initialized(api))
		return NULL;
	ctx = acl_current_context_locked();
	if (ctx) {
		id = ctx->dev;
		info = acl_rt.dev[id].info;
	} else {
		drv = drvGetDevNum(&n);
		if (!drv && n)
			drv = drvGetDevIDs(ids, ACL_MAX_DEVICES);
		if (drv) {
			acl_fail_hal(acl_code_from_drv(drv), api, "cannot list devices");
			goto unlock;
		}
		if (!n) {
			acl_fail(ACL_ERROR_RT_NO_DEVICE, api, "no Ascend device: no /dev/davinciN node%s",
				 acl_driver_hint_text());
			goto unlock;
		}
		id = (int32_t)ids[0];
		drv = halVascendGetInfo(ids[0], &info);
		if (drv) {
			acl_fail_hal(acl_code_from_drv(drv), api, "cannot query device %d", id);
			goto unlock;
		}
	}
	memcpy(acl_rt.soc_name[id], info.socName, sizeof(acl_rt.soc_name[id]));
	name = acl_rt.soc_name[id];
unlock:
	acl_unlock();
	return name;
}

ACL_FUNC_VISIBILITY aclError aclrtSynchronizeDevice(void)
{
	static const char api[] = "aclrtSynchronizeDevice";
	struct acl_stream **list = NULL, *s;
	size_t n = 0, i;
	aclError ret, first = ACL_SUCCESS;
	struct acl_context *ctx;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	ctx = acl_current_context_locked();
	if (!ctx) {
		acl_unlock();
		return acl_fail(ACL_ERROR_RT_CONTEXT_NULL, api,
				"no current context in this thread; call aclrtSetDevice first");
	}
	for (s = acl_rt.streams; s; s = s->next)
		n += s->dev == ctx->dev;
	if (n) {
		list = malloc(n * sizeof(*list));
		if (!list) {
			acl_unlock();
			return acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api, "no memory");
		}
		n = 0;
		for (s = acl_rt.streams; s; s = s->next)
			if (s->dev == ctx->dev)
				list[n++] = s;
	}
	acl_unlock();
	/* every stream of the device, whatever its context; the first failure wins */
	for (i = 0; i < n; i++) {
		ret = acl_stream_wait_obj(api, list[i], 0, -1);
		if (ret && !first)
			first = ret;
	}
	free(list);
	return first;
}
