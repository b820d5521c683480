// SPDX-License-Identifier: MIT
/*
 * Devices: enumeration of /dev/davinciN, open/close with reference counts,
 * and what the driver says about each card (VASCEND_IOCTL_GET_INFO).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "vascend_davinci.h"

#include "hal_error.h"
#include "hal_internal.h"
#include "hal_os.h"

_Static_assert(HAL_VASCEND_CAP_DMA_XFER == VASCEND_CAP_DMA_XFER, "caps are passed through as-is");
_Static_assert(HAL_VASCEND_SOC_NAME_MAX == VASCEND_SOC_NAME_MAX, "SoC name sizes differ");

struct hal_dev {
	/*
	 * Protects the fields below. Opening and closing write; a request on
	 * the open fd reads for as long as it runs, so the fd is never closed
	 * (and its number reused) under a request. One lock per device: a long
	 * DMA on one card does not hold up opening another.
	 */
	pthread_rwlock_t lock;
	unsigned int refs;	/* drvDeviceOpen calls not yet closed; 0: not open */
	const struct hal_os_ops *os;
	int fd;
	struct halVascendDeviceInfo info;	/* read once, at open */
};

static struct hal_dev devs[HAL_VASCEND_MAX_DEVICES];
static pthread_once_t devs_once = PTHREAD_ONCE_INIT;
/*
 * Each node's path, made once: every stream submit and wait names its node
 * in case it fails, and formatting it per call showed up in profiles.
 */
static char dev_paths[HAL_VASCEND_MAX_DEVICES][HAL_NODE_PATH_MAX];

static void devs_init(void)
{
	unsigned int i;

	for (i = 0; i < HAL_VASCEND_MAX_DEVICES; i++) {
		pthread_rwlock_init(&devs[i].lock, NULL);
		devs[i].fd = -1;
		hal_node_path(i, dev_paths[i], sizeof(dev_paths[i]));
	}
}

/* Device @id's slot, its lock ready for use. */
static struct hal_dev *dev_slot(uint32_t id)
{
	pthread_once(&devs_once, devs_init);
	return &devs[id];
}

void hal_node_path(uint32_t id, char *buf, unsigned int len)
{
	snprintf(buf, len, "/dev/" VASCEND_DAVINCI_DEV_FMT, id);
}

static drvError_t backend_error(void)
{
	return hal_fail(DRV_ERROR_CONFIG_READ_FAIL, 0, "%s", hal_os_config_error());
}

drvError_t hal_backend(const struct hal_os_ops **os)
{
	*os = hal_os();
	return *os ? DRV_ERROR_NONE : backend_error();
}

static drvError_t check_id(uint32_t id)
{
	if (id >= HAL_VASCEND_MAX_DEVICES)
		return hal_fail(DRV_ERROR_INVALID_DEVICE, 0, "device id %u is out of range [0, %u)",
				id, HAL_VASCEND_MAX_DEVICES);
	return DRV_ERROR_NONE;
}

/* Ask the driver behind @fd about its card and check it speaks our uapi. */
static drvError_t query_info(const struct hal_os_ops *os, int fd, uint32_t id, const char *path,
			     struct halVascendDeviceInfo *out)
{
	struct vascend_device_info ki;
	int ret;

	memset(&ki, 0, sizeof(ki));
	ret = hal_ioctl(os, fd, VASCEND_IOCTL_GET_INFO, &ki);
	if (ret)
		return hal_fail(hal_errno_to_drv(-ret), -ret, "%s: VASCEND_IOCTL_GET_INFO", path);
	if (ki.uapi_version >> 16 != VASCEND_UAPI_VERSION_MAJOR)
		return hal_fail(DRV_ERROR_NOT_SUPPORT, 0,
				"%s: driver speaks uapi %u.%u, this library needs %u.x", path,
				ki.uapi_version >> 16, ki.uapi_version & 0xffff,
				VASCEND_UAPI_VERSION_MAJOR);
	if (ki.dev_id != id)
		return hal_fail(DRV_ERROR_INNER_ERR, 0, "%s: driver reports device id %u", path,
				ki.dev_id);

	memset(out, 0, sizeof(*out));
	out->devId = ki.dev_id;
	out->uapiVersion = ki.uapi_version;
	out->aicoreCount = ki.aicore_count;
	out->fwVersion = ki.fw_version;
	out->hbmSize = ki.hbm_size;
	out->caps = ki.caps;
	out->pciDomain = ki.pci_domain;
	out->pciBus = ki.pci_bus;
	out->pciDevfn = ki.pci_devfn;
	out->pciVendor = ki.pci_vendor;
	out->pciDevice = ki.pci_device;
	/* the driver promises a NUL; do not depend on it */
	memcpy(out->socName, ki.soc_name, sizeof(out->socName) - 1);
	out->socName[sizeof(out->socName) - 1] = '\0';
	return DRV_ERROR_NONE;
}

/* The ids of the device nodes present, through the backend; *n of them. */
static drvError_t scan_devices(uint32_t ids[HAL_VASCEND_MAX_DEVICES], int *n)
{
	const struct hal_os_ops *os = hal_os();

	if (!os)
		return backend_error();
	*n = os->scan(ids, HAL_VASCEND_MAX_DEVICES);
	if (*n < 0)
		return hal_fail(DRV_ERROR_FILE_OPS, -*n, "/dev: cannot list device nodes");
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t drvGetDevNum(uint32_t *num_dev)
{
	uint32_t ids[HAL_VASCEND_MAX_DEVICES];
	drvError_t ret;
	int n;

	if (!num_dev)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "drvGetDevNum: num_dev is NULL");
	ret = scan_devices(ids, &n);
	if (ret)
		return ret;
	*num_dev = (uint32_t)n;
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t drvGetDevIDs(uint32_t *devices, uint32_t len)
{
	uint32_t ids[HAL_VASCEND_MAX_DEVICES];
	drvError_t ret;
	int n;

	if (!devices)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "drvGetDevIDs: devices is NULL");
	ret = scan_devices(ids, &n);
	if (ret)
		return ret;
	if ((uint32_t)n > len)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0,
				"drvGetDevIDs: room for %u ids, %d devices present", len, n);
	memcpy(devices, ids, (size_t)n * sizeof(ids[0]));
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t drvDeviceOpen(void **devInfo, uint32_t devId)
{
	char path[HAL_NODE_PATH_MAX];
	struct halVascendDeviceInfo info;
	const struct hal_os_ops *os;
	struct hal_dev *d;
	drvError_t ret;
	int fd;

	if (devInfo)
		*devInfo = NULL;
	ret = check_id(devId);
	if (ret)
		return ret;
	os = hal_os();
	if (!os)
		return backend_error();
	hal_node_path(devId, path, sizeof(path));

	d = dev_slot(devId);
	pthread_rwlock_wrlock(&d->lock);
	if (d->refs) {
		if (d->refs == UINT_MAX)
			ret = hal_fail(DRV_ERROR_OVER_LIMIT, 0, "%s: too many opens", path);
		else
			d->refs++;
		goto unlock;
	}
	fd = os->open(path);
	if (fd < 0) {
		ret = hal_fail(hal_errno_to_drv(-fd), -fd, "%s", path);
		goto unlock;
	}
	ret = query_info(os, fd, devId, path, &info);
	if (ret) {
		os->close(fd);
		goto unlock;
	}
	d->os = os;
	d->fd = fd;
	d->info = info;
	d->refs = 1;
unlock:
	pthread_rwlock_unlock(&d->lock);
	return ret;
}

DLLEXPORT drvError_t drvDeviceClose(uint32_t devId)
{
	drvError_t ret;
	struct hal_dev *d;

	ret = check_id(devId);
	if (ret)
		return ret;
	d = dev_slot(devId);
	pthread_rwlock_wrlock(&d->lock);
	if (!d->refs) {
		ret = hal_fail(DRV_ERROR_INVALID_DEVICE, 0, "device %u is not open", devId);
	} else if (--d->refs == 0) {
		d->os->close(d->fd);
		d->os = NULL;
		d->fd = -1;
		memset(&d->info, 0, sizeof(d->info));
	}
	pthread_rwlock_unlock(&d->lock);
	return ret;
}

DLLEXPORT drvError_t halVascendGetInfo(uint32_t devId, struct halVascendDeviceInfo *info)
{
	char path[HAL_NODE_PATH_MAX];
	const struct hal_os_ops *os;
	struct hal_dev *d;
	drvError_t ret;
	int fd;

	if (!info)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendGetInfo: info is NULL");
	ret = check_id(devId);
	if (ret)
		return ret;
	os = hal_os();
	if (!os)
		return backend_error();

	d = dev_slot(devId);
	pthread_rwlock_rdlock(&d->lock);
	if (d->refs) {
		*info = d->info;
		pthread_rwlock_unlock(&d->lock);
		return DRV_ERROR_NONE;
	}
	pthread_rwlock_unlock(&d->lock);

	/* not open: ask through a short-lived fd of our own */
	hal_node_path(devId, path, sizeof(path));
	fd = os->open(path);
	if (fd < 0)
		return hal_fail(hal_errno_to_drv(-fd), -fd, "%s", path);
	ret = query_info(os, fd, devId, path, info);
	os->close(fd);
	return ret;
}

DLLEXPORT drvError_t halGetSocVersion(uint32_t devId, char *socVersion, uint32_t len)
{
	struct halVascendDeviceInfo info;
	drvError_t ret;
	size_t need;

	if (!socVersion)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halGetSocVersion: socVersion is NULL");
	ret = halVascendGetInfo(devId, &info);
	if (ret)
		return ret;
	need = strlen(info.socName) + 1;
	if (len < need)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0,
				"halGetSocVersion: %u bytes is too small for \"%s\"", len,
				info.socName);
	memcpy(socVersion, info.socName, need);
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halGetAPIVersion(int *halAPIVersion)
{
	if (!halAPIVersion)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halGetAPIVersion: halAPIVersion is NULL");
	*halAPIVersion = HAL_VASCEND_API_VERSION;
	return DRV_ERROR_NONE;
}

drvError_t hal_dev_get(uint32_t id, struct hal_dev_ref *ref)
{
	struct hal_dev *d;
	drvError_t ret;

	ret = check_id(id);
	if (ret)
		return ret;
	d = dev_slot(id);
	ref->path = dev_paths[id];
	pthread_rwlock_rdlock(&d->lock);
	if (!d->refs) {
		pthread_rwlock_unlock(&d->lock);
		return hal_fail(DRV_ERROR_UNINIT, 0, "%s is not open (drvDeviceOpen first)",
				ref->path);
	}
	ref->id = id;
	ref->os = d->os;
	ref->fd = d->fd;
	ref->info = &d->info;
	return DRV_ERROR_NONE;	/* d->lock stays read-held until hal_dev_put */
}

void hal_dev_put(struct hal_dev_ref *ref)
{
	ref->info = NULL;
	ref->fd = -1;
	pthread_rwlock_unlock(&devs[ref->id].lock);
}

unsigned int hal_dev_open_count(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < HAL_VASCEND_MAX_DEVICES; i++) {
		struct hal_dev *d = dev_slot(i);

		pthread_rwlock_rdlock(&d->lock);
		n += d->refs != 0;
		pthread_rwlock_unlock(&d->lock);
	}
	return n;
}
