// SPDX-License-Identifier: MIT
/*
 * Memory: device memory carved out of the current card's HBM, host memory
 * for transfers, and how much of each is left.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

#include "acl_devptr.h"
#include "acl_error.h"
#include "acl_hbm.h"
#include "acl_internal.h"
#include "acl_log.h"

/* CANN rounds aclrtMalloc sizes up to 32 bytes and pads 32 more. */
#define DEV_SIZE_ALIGN	32u
#define DEV_SIZE_PAD	32u
/* Page-aligned, so a later issue can pin it for DMA as it is. */
#define HOST_ALIGN	4096u

#define POLICY_BASE_MASK	0xffu
#define POLICY_KNOWN_FLAGS	(ACL_MEM_TYPE_LOW_BAND_WIDTH | ACL_MEM_TYPE_HIGH_BAND_WIDTH | \
				 ACL_MEM_ACCESS_USER_SPACE_READONLY)

struct acl_host_block {
	void *ptr;
	size_t size;
	struct acl_host_block *next;
};

ACL_FUNC_VISIBILITY aclError aclrtMalloc(void **devPtr, size_t size, aclrtMemMallocPolicy policy)
{
	static const char api[] = "aclrtMalloc";
	unsigned int p = (unsigned int)policy;
	struct acl_device *d;
	uint64_t padded, off;
	aclError ret;
	int32_t id;
	int err;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!devPtr || !size) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s", !devPtr ? "devPtr is NULL" :
							     "size must be greater than 0");
		goto unlock;
	}
	ret = acl_current_device_locked(api, &id);
	if (ret)
		goto unlock;
	/* every policy is served from one pool; CANN too accepts unknown ones */
	if ((p & POLICY_BASE_MASK) > ACL_MEM_MALLOC_HUGE1G_ONLY_P2P ||
	    (p & ~POLICY_BASE_MASK & ~(unsigned int)POLICY_KNOWN_FLAGS))
		ACL_LOG_WARN("%s: unknown policy 0x%x, allocating as ACL_MEM_MALLOC_HUGE_FIRST", api, p);

	d = &acl_rt.dev[id];
	if (size > SIZE_MAX - DEV_SIZE_ALIGN - DEV_SIZE_PAD)
		err = -ENOMEM;
	else {
		padded = ((uint64_t)size + DEV_SIZE_ALIGN - 1) / DEV_SIZE_ALIGN * DEV_SIZE_ALIGN +
			 DEV_SIZE_PAD;
		err = acl_hbm_alloc(d->hbm, padded, &off);
	}
	if (err) {
		ret = acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api,
			       "out of memory on device %d: %zu bytes asked, %" PRIu64
			       " free, largest free block %" PRIu64,
			       id, size, acl_hbm_free_bytes(d->hbm), acl_hbm_largest_free(d->hbm));
		goto unlock;
	}
	*devPtr = acl_devptr_make(id, off);
unlock:
	acl_unlock();
	return ret;
}

static struct acl_host_block **find_host_block_locked(const void *ptr)
{
	struct acl_host_block **link;

	for (link = &acl_rt.host_blocks; *link; link = &(*link)->next)
		if ((*link)->ptr == ptr)
			return link;
	return NULL;
}

ACL_FUNC_VISIBILITY aclError aclrtFree(void *devPtr)
{
	static const char api[] = "aclrtFree";
	aclError ret;
	int32_t id;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!devPtr) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "devPtr is NULL");
		goto unlock;
	}
	if (!acl_is_devptr(devPtr)) {
		ret = acl_fail(ACL_ERROR_RT_MEMORY_FREE, api, "%p is not device memory from aclrtMalloc%s",
			       devPtr, find_host_block_locked(devPtr) ?
			       " (it is from aclrtMallocHost: use aclrtFreeHost)" : "");
		goto unlock;
	}
	id = acl_devptr_dev(devPtr);
	if (!acl_device_is_open_locked(id)) {
		ret = acl_fail(ACL_ERROR_RT_MEMORY_FREE, api,
			       "%p belongs to device %d, which is not set (resetting it freed its memory)",
			       devPtr, id);
		goto unlock;
	}
	if (acl_hbm_free(acl_rt.dev[id].hbm, acl_devptr_off(devPtr)))
		ret = acl_fail(ACL_ERROR_RT_MEMORY_FREE, api,
			       "%p is not an allocation on device %d (already freed, or not its start)",
			       devPtr, id);
unlock:
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtMallocHost(void **hostPtr, size_t size)
{
	static const char api[] = "aclrtMallocHost";
	struct acl_host_block *b;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!hostPtr || !size) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s", !hostPtr ? "hostPtr is NULL" :
							     "size must be greater than 0");
		goto unlock;
	}
	b = malloc(sizeof(*b));
	if (!b || posix_memalign(&b->ptr, HOST_ALIGN, size)) {
		free(b);
		ret = acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api,
			       "out of host memory: %zu bytes asked", size);
		goto unlock;
	}
	b->size = size;
	b->next = acl_rt.host_blocks;
	acl_rt.host_blocks = b;
	*hostPtr = b->ptr;
unlock:
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtFreeHost(void *hostPtr)
{
	static const char api[] = "aclrtFreeHost";
	struct acl_host_block **link, *b;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!hostPtr) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "hostPtr is NULL");
		goto unlock;
	}
	link = find_host_block_locked(hostPtr);
	if (!link) {
		ret = acl_fail(ACL_ERROR_RT_MEMORY_FREE, api, "%p was not allocated by aclrtMallocHost%s",
			       hostPtr, acl_is_devptr(hostPtr) ?
			       " (it is device memory: use aclrtFree)" : "");
		goto unlock;
	}
	b = *link;
	*link = b->next;
	free(b->ptr);
	free(b);
unlock:
	acl_unlock();
	return ret;
}

void acl_mem_release_host_locked(void)
{
	struct acl_host_block *b, *next;

	for (b = acl_rt.host_blocks; b; b = next) {
		next = b->next;
		free(b->ptr);
		free(b);
	}
	acl_rt.host_blocks = NULL;
}

ACL_FUNC_VISIBILITY aclError aclrtGetMemInfo(aclrtMemAttr attr, size_t *free, size_t *total)
{
	static const char api[] = "aclrtGetMemInfo";
	struct acl_hbm *hbm;
	aclError ret;
	int32_t id;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!free || !total) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "free and total must not be NULL");
		goto unlock;
	}
	ret = acl_current_device_locked(api, &id);
	if (ret)
		goto unlock;
	hbm = acl_rt.dev[id].hbm;
	switch (attr) {
	case ACL_DDR_MEM:
	case ACL_DDR_MEM_HUGE:
	case ACL_DDR_MEM_NORMAL:
	case ACL_DDR_MEM_P2P_HUGE:
	case ACL_DDR_MEM_P2P_NORMAL:
		/* the card has HBM only */
		*free = 0;
		*total = 0;
		break;
	case ACL_HBM_MEM:
	case ACL_HBM_MEM_HUGE:
	case ACL_HBM_MEM_NORMAL:
	case ACL_HBM_MEM_P2P_HUGE:
	case ACL_HBM_MEM_P2P_NORMAL:
	case ACL_HBM_MEM_HUGE1G:
	case ACL_HBM_MEM_P2P_HUGE1G:
	case ACL_MEM_NORMAL:
	case ACL_MEM_HUGE:
	case ACL_MEM_HUGE1G:
	case ACL_MEM_P2P_NORMAL:
	case ACL_MEM_P2P_HUGE:
	case ACL_MEM_P2P_HUGE1G:
		/* one pool serves every page size */
		*free = (size_t)acl_hbm_free_bytes(hbm);
		*total = (size_t)acl_hbm_total(hbm);
		break;
	default:
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "unknown memory attribute %d", (int)attr);
		break;
	}
unlock:
	acl_unlock();
	return ret;
}
