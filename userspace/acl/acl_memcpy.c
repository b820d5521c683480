// SPDX-License-Identifier: MIT
/*
 * Synchronous copies and fills: aclrtMemcpy in every direction and
 * aclrtMemset, moved by the card's DMA engine through the HAL.
 *
 * For now device-to-device copies bounce through host memory and fills DMA
 * a host buffer of the pattern; both become device-side work when the card
 * gets queues.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "acl_devptr.h"
#include "acl_error.h"
#include "acl_hbm.h"
#include "acl_internal.h"

#define BOUNCE_CHUNK	(4u << 20)
#define FILL_CHUNK	(1u << 20)

/* One end of a copy: host memory, or a checked range of a device's HBM. */
struct end {
	bool dev;
	int32_t id;
	uint64_t off;
	void *host;
};

static const char *const kind_names[] = {
	[ACL_MEMCPY_HOST_TO_HOST] = "ACL_MEMCPY_HOST_TO_HOST",
	[ACL_MEMCPY_HOST_TO_DEVICE] = "ACL_MEMCPY_HOST_TO_DEVICE",
	[ACL_MEMCPY_DEVICE_TO_HOST] = "ACL_MEMCPY_DEVICE_TO_HOST",
	[ACL_MEMCPY_DEVICE_TO_DEVICE] = "ACL_MEMCPY_DEVICE_TO_DEVICE",
	[ACL_MEMCPY_DEFAULT] = "ACL_MEMCPY_DEFAULT",
	[ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE] = "ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE",
	[ACL_MEMCPY_INNER_DEVICE_TO_DEVICE] = "ACL_MEMCPY_INNER_DEVICE_TO_DEVICE",
	[ACL_MEMCPY_INTER_DEVICE_TO_DEVICE] = "ACL_MEMCPY_INTER_DEVICE_TO_DEVICE",
};

/*
 * With the lock held: make @e the device range [@p, @p + @count), which must
 * lie inside one live allocation of a set device.
 */
static aclError resolve_dev_locked(const char *api, const char *name, const void *p, size_t count,
				   struct end *e)
{
	uint64_t base, size;

	e->dev = true;
	e->id = acl_devptr_dev(p);
	e->off = acl_devptr_off(p);
	e->host = NULL;
	if (!acl_device_is_open_locked(e->id))
		return acl_fail(ACL_ERROR_RT_PARAM_INVALID, api,
				"%s %p belongs to device %d, which is not set", name, p, e->id);
	if (acl_hbm_find(acl_rt.dev[e->id].hbm, e->off, &base, &size))
		return acl_fail(ACL_ERROR_RT_PARAM_INVALID, api,
				"%s %p is not inside any allocation on device %d (freed?)", name, p,
				e->id);
	if (count > base + size - e->off)
		return acl_fail(ACL_ERROR_RT_PARAM_INVALID, api,
				"%s %p + %zu bytes runs past the end of its allocation (%" PRIu64
				" bytes at %p)",
				name, p, count, size, acl_devptr_make(e->id, base));
	return ACL_SUCCESS;
}

static void host_end(struct end *e, void *p)
{
	memset(e, 0, sizeof(*e));
	e->host = p;
}

/* One DMA through the HAL; on failure records why under @api. */
static aclError dma(const char *api, int32_t id, void *host, uint64_t off, size_t n,
		    halVascendDmaDir dir)
{
	drvError_t drv = halVascendDmaXfer((uint32_t)id, host, off, n, dir);
	aclError code;

	if (!drv)
		return ACL_SUCCESS;
	code = halVascendLastErrno() == EIO ? ACL_ERROR_RT_SYS_DMA : acl_code_from_drv(drv);
	return acl_fail_hal(code, api, "DMA %s device %d failed",
			    dir == HAL_VASCEND_DMA_TO_DEVICE ? "to" : "from", id);
}

static aclError copy_dev_to_dev(const char *api, const struct end *dst, const struct end *src,
				size_t count)
{
	size_t chunk = count < BOUNCE_CHUNK ? count : BOUNCE_CHUNK;
	/* overlapping ranges of one card, destination above: copy from the end */
	bool backward = dst->id == src->id && dst->off > src->off && dst->off - src->off < count;
	aclError ret = ACL_SUCCESS;
	size_t done, n;
	uint64_t pos;
	void *buf;

	buf = malloc(chunk);
	if (!buf)
		return acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api,
				"no host memory for a %zu-byte bounce buffer", chunk);
	for (done = 0; done < count && !ret; done += n) {
		n = count - done < chunk ? count - done : chunk;
		pos = backward ? count - done - n : done;
		ret = dma(api, src->id, buf, src->off + pos, n, HAL_VASCEND_DMA_FROM_DEVICE);
		if (!ret)
			ret = dma(api, dst->id, buf, dst->off + pos, n, HAL_VASCEND_DMA_TO_DEVICE);
	}
	free(buf);
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtMemcpy(void *dst, size_t destMax, const void *src, size_t count,
					 aclrtMemcpyKind kind)
{
	static const char api[] = "aclrtMemcpy";
	bool dst_dev, src_dev, want_dst_dev, want_src_dev;
	struct end d, s;
	aclError ret;
	int32_t cur;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!dst || !src) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s is NULL", !dst ? "dst" : "src");
		goto unlock;
	}
	if ((unsigned int)kind > ACL_MEMCPY_INTER_DEVICE_TO_DEVICE) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "unknown memcpy kind %d", (int)kind);
		goto unlock;
	}
	if (count > destMax) {
		ret = acl_fail(ACL_ERROR_RT_PARAM_INVALID, api, "count %zu is larger than destMax %zu",
			       count, destMax);
		goto unlock;
	}

	dst_dev = acl_is_devptr(dst);
	src_dev = acl_is_devptr(src);
	switch (kind) {
	case ACL_MEMCPY_HOST_TO_HOST:
		want_dst_dev = false;
		want_src_dev = false;
		break;
	case ACL_MEMCPY_HOST_TO_DEVICE:
	case ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE:
		want_dst_dev = true;
		want_src_dev = false;
		break;
	case ACL_MEMCPY_DEVICE_TO_HOST:
		want_dst_dev = false;
		want_src_dev = true;
		break;
	case ACL_MEMCPY_DEFAULT:
		want_dst_dev = dst_dev;
		want_src_dev = src_dev;
		break;
	default:	/* the device-to-device kinds */
		want_dst_dev = true;
		want_src_dev = true;
		break;
	}
	if (dst_dev != want_dst_dev || src_dev != want_src_dev) {
		bool dst_wrong = dst_dev != want_dst_dev;

		ret = acl_fail(ACL_ERROR_RT_PARAM_INVALID, api, "%s, but %s %p is %s memory",
			       kind_names[kind], dst_wrong ? "dst" : "src", dst_wrong ? dst : src,
			       (dst_wrong ? dst_dev : src_dev) ? "device" : "host");
		goto unlock;
	}
	if (dst_dev || src_dev) {
		ret = acl_current_device_locked(api, &cur);
		if (ret)
			goto unlock;
	}

	if (dst_dev)
		ret = resolve_dev_locked(api, "dst", dst, count, &d);
	else
		host_end(&d, dst);
	if (!ret && src_dev)
		ret = resolve_dev_locked(api, "src", src, count, &s);
	else if (!ret)
		host_end(&s, (void *)src);
	if (ret)
		goto unlock;
	if (kind == ACL_MEMCPY_INNER_DEVICE_TO_DEVICE && d.id != s.id)
		ret = acl_fail(ACL_ERROR_RT_PARAM_INVALID, api, "%s between devices %d and %d",
			       kind_names[kind], s.id, d.id);
	else if (kind == ACL_MEMCPY_INTER_DEVICE_TO_DEVICE && d.id == s.id)
		ret = acl_fail(ACL_ERROR_RT_PARAM_INVALID, api, "%s within device %d",
			       kind_names[kind], d.id);
unlock:
	acl_unlock();
	if (ret || !count)
		return ret;

	/* the copy runs unlocked: other threads keep going meanwhile */
	if (!d.dev && !s.dev) {
		memmove(d.host, s.host, count);
		return ACL_SUCCESS;
	}
	if (d.dev && !s.dev)
		return dma(api, d.id, s.host, d.off, count, HAL_VASCEND_DMA_TO_DEVICE);
	if (!d.dev && s.dev)
		return dma(api, s.id, d.host, s.off, count, HAL_VASCEND_DMA_FROM_DEVICE);
	return copy_dev_to_dev(api, &d, &s, count);
}

ACL_FUNC_VISIBILITY aclError aclrtMemset(void *devPtr, size_t maxCount, int32_t value, size_t count)
{
	static const char api[] = "aclrtMemset";
	size_t chunk, done, n;
	aclError ret;
	int32_t cur;
	struct end e;
	void *buf;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!devPtr) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "devPtr is NULL");
		goto unlock;
	}
	if (count > maxCount) {
		ret = acl_fail(ACL_ERROR_RT_PARAM_INVALID, api,
			       "count %zu is larger than maxCount %zu", count, maxCount);
		goto unlock;
	}
	if (!acl_is_devptr(devPtr)) {
		/* CANN tells host from device memory by the address, and so do we */
		host_end(&e, devPtr);
		goto unlock;
	}
	ret = acl_current_device_locked(api, &cur);
	if (!ret)
		ret = resolve_dev_locked(api, "devPtr", devPtr, count, &e);
unlock:
	acl_unlock();
	if (ret || !count)
		return ret;
	if (!e.dev) {
		memset(e.host, value, count);
		return ACL_SUCCESS;
	}

	chunk = count < FILL_CHUNK ? count : FILL_CHUNK;
	buf = malloc(chunk);
	if (!buf)
		return acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api,
				"no host memory for a %zu-byte fill buffer", chunk);
	memset(buf, value, chunk);
	for (done = 0; done < count && !ret; done += n) {
		n = count - done < chunk ? count - done : chunk;
		ret = dma(api, e.id, buf, e.off + done, n, HAL_VASCEND_DMA_TO_DEVICE);
	}
	free(buf);
	return ret;
}
