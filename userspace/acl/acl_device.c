// SPDX-License-Identifier: MIT
/*
 * Devices: counting, setting and resetting them, each thread's current
 * device, and what they are (SoC name, run mode).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>

#include "acl_devptr.h"
#include "acl_error.h"
#include "acl_hbm.h"
#include "acl_internal.h"
#include "acl_log.h"

/*
 * The calling thread's current device (CANN: its current context). Valid
 * while the device is open with the same generation; a device reset and set
 * again is a new context.
 */
static _Thread_local struct {
	int32_t dev;
	uint64_t gen;
} tls_ctx = { .dev = -1 };

static bool ctx_valid_locked(void)
{
	return acl_device_is_open_locked(tls_ctx.dev) && acl_rt.dev[tls_ctx.dev].gen == tls_ctx.gen;
}

aclError acl_current_device_locked(const char *api, int32_t *id)
{
	if (tls_ctx.dev < 0)
		return acl_fail(ACL_ERROR_RT_CONTEXT_NULL, api,
				"no current device in this thread; call aclrtSetDevice first");
	if (!ctx_valid_locked())
		return acl_fail(ACL_ERROR_RT_CONTEXT_NULL, api,
				"device %d was reset since this thread set it; call aclrtSetDevice again",
				tls_ctx.dev);
	*id = tls_ctx.dev;
	return ACL_SUCCESS;
}

static aclError check_id_range(const char *api, int32_t id)
{
	if (id < 0 || id >= ACL_MAX_DEVICES)
		return acl_fail(ACL_ERROR_RT_INVALID_DEVICEID, api, "device id %d is out of range [0, %d)",
				id, ACL_MAX_DEVICES);
	return ACL_SUCCESS;
}

static void close_device_locked(int32_t id)
{
	struct acl_device *d = &acl_rt.dev[id];

	acl_hbm_destroy(d->hbm);
	drvDeviceClose((uint32_t)id);
	memset(d, 0, sizeof(*d));
	ACL_LOG_INFO("device %d closed", id);
}

static aclError open_device_locked(const char *api, int32_t id)
{
	struct acl_device *d = &acl_rt.dev[id];
	drvError_t drv;
	aclError ret;
	uint64_t hbm;

	if (d->refs) {
		if (d->refs == UINT_MAX)
			return acl_fail(ACL_ERROR_RT_OVER_LIMIT, api, "device %d set too many times", id);
		d->refs++;
		return ACL_SUCCESS;
	}

	drv = drvDeviceOpen(NULL, (uint32_t)id);
	if (drv) {
		if (drv == DRV_ERROR_INVALID_DEVICE)
			return acl_fail_hal(acl_code_from_drv(drv), api, "device %d not found", id);
		return acl_fail_hal(acl_code_from_drv(drv), api, "cannot open device %d", id);
	}
	drv = halVascendGetInfo((uint32_t)id, &d->info);
	if (drv) {
		ret = acl_fail_hal(acl_code_from_drv(drv), api, "cannot query device %d", id);
		goto close;
	}
	hbm = d->info.hbmSize;
	if (!(d->info.caps & HAL_VASCEND_CAP_DMA_XFER)) {
		ret = acl_fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT, api,
			       "device %d cannot move memory: its driver offers no DMA transfers", id);
		goto close;
	}
	if (hbm - 1 > ACL_DEVPTR_OFF_MASK) {	/* also catches 0 */
		ret = acl_fail(ACL_ERROR_RT_DEV_SETUP_ERROR, api,
			       "device %d reports %" PRIu64 " bytes of HBM", id, hbm);
		goto close;
	}
	d->hbm = acl_hbm_create(hbm);
	if (!d->hbm) {
		ret = acl_fail(ACL_ERROR_RT_DEV_SETUP_ERROR, api,
			       "device %d: cannot set up an allocator for %" PRIu64 " bytes of HBM", id,
			       hbm);
		goto close;
	}
	d->gen = ++acl_rt.last_gen;
	d->refs = 1;
	ACL_LOG_INFO("device %d opened: %s, %" PRIu64 " bytes of HBM", id, d->info.socName, hbm);
	return ACL_SUCCESS;

close:
	drvDeviceClose((uint32_t)id);
	memset(d, 0, sizeof(*d));
	return ret;
}

void acl_device_close_all_locked(void)
{
	int32_t id;

	for (id = 0; id < ACL_MAX_DEVICES; id++)
		if (acl_rt.dev[id].refs)
			close_device_locked(id);
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
		ret = acl_fail(ACL_ERROR_RT_NO_DEVICE, api,
			       "no Ascend device: no /dev/davinciN node (is the vascend driver loaded?)");
unlock:
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtSetDevice(int32_t deviceId)
{
	static const char api[] = "aclrtSetDevice";
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	ret = check_id_range(api, deviceId);
	if (!ret)
		ret = open_device_locked(api, deviceId);
	if (!ret) {
		tls_ctx.dev = deviceId;
		tls_ctx.gen = acl_rt.dev[deviceId].gen;
	}
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
	return acl_fail(ACL_ERROR_RT_INVALID_DEVICEID, api, "device %d not found", id);
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
	if (!d->refs) {
		/* as in CANN, resetting a device that is not set does nothing */
		ret = check_present_locked(api, deviceId);
		if (!ret)
			ACL_LOG_WARN("%s: device %d is not set; nothing to reset", api, deviceId);
		goto unlock;
	}
	if (--d->refs == 0)
		close_device_locked(deviceId);
unlock:
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtGetDevice(int32_t *deviceId)
{
	static const char api[] = "aclrtGetDevice";
	int32_t id = -1;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!deviceId)
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "deviceId is NULL");
	else
		ret = acl_current_device_locked(api, &id);
	if (!ret)
		*deviceId = id;
	acl_unlock();
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
	const char *name = NULL;
	drvError_t drv;
	int32_t id;

	if (acl_lock_initialized(api))
		return NULL;
	if (ctx_valid_locked()) {
		id = tls_ctx.dev;
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
			acl_fail(ACL_ERROR_RT_NO_DEVICE, api,
				 "no Ascend device: no /dev/davinciN node (is the vascend driver loaded?)");
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
