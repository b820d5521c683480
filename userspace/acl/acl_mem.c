// SPDX-License-Identifier: MIT
/*
 * Memory: device memory from the driver (SVM: a device pointer is an
 * address of the process's SVM window), host memory pinned for the cards
 * (aclrtMallocHost, and the runtime's own pinned buffers), and what is left.
 *
 * Pinned blocks are registered with a card when first used with it (and at
 * once with the current device for aclrtMallocHost), so one block serves
 * every card the process uses.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acl_error.h"
#include "acl_log.h"
#include "acl_runtime.h"

#define HOST_PAGE	4096u

static size_t page_round(size_t size)
{
	return (size + HOST_PAGE - 1) & ~(size_t)(HOST_PAGE - 1);
}

/* The driver's page policy for an aclrtMemMallocPolicy (flag bits ignored, as CANN). */
static unsigned int policy_of(const char *api, aclrtMemMallocPolicy policy)
{
	unsigned int p = (unsigned int)policy & 0xffu;

	switch (p) {
	case ACL_MEM_MALLOC_HUGE_FIRST:
	case ACL_MEM_MALLOC_HUGE_FIRST_P2P:
		return HAL_VASCEND_MEM_HUGE_FIRST;
	case ACL_MEM_MALLOC_HUGE_ONLY:
	case ACL_MEM_MALLOC_HUGE_ONLY_P2P:
	case ACL_MEM_MALLOC_HUGE1G_ONLY:	/* no 1 GiB pages: 2 MiB ones */
	case ACL_MEM_MALLOC_HUGE1G_ONLY_P2P:
		return HAL_VASCEND_MEM_HUGE_ONLY;
	case ACL_MEM_MALLOC_NORMAL_ONLY:
	case ACL_MEM_MALLOC_NORMAL_ONLY_P2P:
		return HAL_VASCEND_MEM_NORMAL_ONLY;
	default:
		/* CANN too accepts policies it does not know */
		ACL_LOG_WARN("%s: unknown policy 0x%x, allocating as ACL_MEM_MALLOC_HUGE_FIRST", api,
			     (unsigned int)policy);
		return HAL_VASCEND_MEM_HUGE_FIRST;
	}
}

aclError acl_dev_malloc(const char *api, int32_t dev, size_t size, aclrtMemMallocPolicy policy,
			void **ptr)
{
	unsigned int p = policy_of(api, policy);
	drvError_t drv;

	if (!ptr || !size)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s",
				!ptr ? "devPtr is NULL" : "size must be greater than 0");
	drv = halMemAlloc(ptr, size, HAL_VASCEND_MEM_FLAG(dev, p));
	if (drv)
		return acl_fail_hal(acl_code_from_drv(drv) == ACL_ERROR_RT_MEMORY_ALLOCATION ?
				    ACL_ERROR_RT_MEMORY_ALLOCATION : acl_code_from_drv(drv), api,
				    "cannot allocate %zu bytes on device %d", size, dev);
	ACL_LOG_DEBUG("%s: %zu bytes at %p on device %d", api, size, *ptr, dev);
	return ACL_SUCCESS;
}

bool acl_is_dev_mem(const void *p, size_t len, int32_t *dev)
{
	uint64_t size;
	uint32_t d;
	void *base;

	if (halVascendMemLookup(p, &base, &size, &d))
		return false;
	if (len && len > size - ((uintptr_t)p - (uintptr_t)base))
		return false;
	if (dev)
		*dev = (int32_t)d;
	return true;
}

static struct acl_pinned *find_pinned_locked(const void *p, size_t len)
{
	struct acl_pinned *b;
	uintptr_t a = (uintptr_t)p;

	for (b = acl_rt.pinned; b; b = b->next)
		if (a >= (uintptr_t)b->ptr && a - (uintptr_t)b->ptr < b->size &&
		    len <= b->size - (a - (uintptr_t)b->ptr))
			return b;
	return NULL;
}

aclError acl_dev_free(const char *api, void *ptr)
{
	drvError_t drv;
	uint64_t size;
	uint32_t dev;
	void *base;
	bool host;

	if (!ptr)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "devPtr is NULL");
	if (halVascendMemLookup(ptr, &base, &size, &dev) || base != ptr) {
		acl_lock();
		host = find_pinned_locked(ptr, 0) != NULL;
		acl_unlock();
		return acl_fail(ACL_ERROR_RT_MEMORY_FREE, api,
				"%p is not device memory from aclrtMalloc%s", ptr,
				host ? " (it is from aclrtMallocHost: use aclrtFreeHost)" :
				base && !halVascendMemLookup(ptr, &base, &size, &dev) ?
				       " (it is inside an allocation, not its start)" :
				       " (freed already, or its device was reset)");
	}
	drv = halMemFree(ptr);
	if (drv)
		return acl_fail_hal(ACL_ERROR_RT_MEMORY_FREE, api, "cannot free %p on device %u",
				    ptr, dev);
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclrtMalloc(void **devPtr, size_t size, aclrtMemMallocPolicy policy)
{
	static const char api[] = "aclrtMalloc";
	aclError ret;
	int32_t dev;

	ret = acl_check_init(api);
	if (ret)
		return ret;
	if (!devPtr || !size)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s",
				!devPtr ? "devPtr is NULL" : "size must be greater than 0");
	ret = acl_current_device(api, &dev);
	if (ret)
		return ret;
	return acl_dev_malloc(api, dev, size, policy, devPtr);
}

ACL_FUNC_VISIBILITY aclError aclrtMallocAlign32(void **devPtr, size_t size,
						aclrtMemMallocPolicy policy)
{
	/* every allocation is page aligned already */
	return aclrtMalloc(devPtr, size, policy);
}

ACL_FUNC_VISIBILITY aclError aclrtMallocCached(void **devPtr, size_t size,
					       aclrtMemMallocPolicy policy)
{
	return aclrtMalloc(devPtr, size, policy);
}

ACL_FUNC_VISIBILITY aclError aclrtFree(void *devPtr)
{
	static const char api[] = "aclrtFree";
	aclError ret;

	ret = acl_check_init(api);
	if (ret)
		return ret;
	return acl_dev_free(api, devPtr);
}

/* Register @b for @dev (lock held); false when the driver refuses (logged). */
static bool register_locked(struct acl_pinned *b, int32_t dev)
{
	void *dst;

	if (b->devs & (1ull << dev))
		return true;
	if (halHostRegister(b->ptr, b->size, 0, (uint32_t)dev, &dst)) {
		ACL_LOG_WARN("pinning %zu bytes at %p for device %d: %s", b->size, b->ptr, dev,
			     halVascendLastErrorMsg());
		return false;
	}
	b->devs |= 1ull << dev;
	return true;
}

bool acl_pinned_for_locked(const void *p, size_t len, int32_t dev)
{
	struct acl_pinned *b = find_pinned_locked(p, len);

	return b && register_locked(b, dev);
}

static void unregister_all(struct acl_pinned *b)
{
	int32_t dev;

	for (dev = 0; dev < ACL_MAX_DEVICES; dev++)
		if (b->devs & (1ull << dev))
			halHostUnregister(b->ptr, (uint32_t)dev);
	b->devs = 0;
}

/* A new pinned block of @size (page multiple) on the list, registered for @dev (-1: none yet). */
static aclError pinned_new(const char *api, size_t size, int32_t dev, bool host_block, void **out)
{
	struct acl_pinned *b;
	void *p;

	b = calloc(1, sizeof(*b));
	if (!b || posix_memalign(&p, HOST_PAGE, size)) {
		free(b);
		return acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api,
				"out of host memory: %zu bytes asked", size);
	}
	memset(p, 0, size);	/* fault the pages in before pinning */
	b->ptr = p;
	b->size = size;
	b->host_block = host_block;
	acl_lock();
	if (dev >= 0 && !register_locked(b, dev) && !host_block) {
		acl_unlock();
		free(p);
		free(b);
		return acl_fail_hal(ACL_ERROR_RT_MEMORY_ALLOCATION, api,
				    "cannot pin %zu bytes of host memory for device %d", size, dev);
	}
	b->next = acl_rt.pinned;
	acl_rt.pinned = b;
	acl_unlock();
	*out = p;
	return ACL_SUCCESS;
}

aclError acl_pinned_alloc(const char *api, int32_t dev, size_t size, void **ptr)
{
	if (!ptr || !size)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "no pointer or size 0");
	return pinned_new(api, page_round(size), dev, false, ptr);
}

/* Unlink the block at @p (of the given kind); NULL when there is none. */
static struct acl_pinned *unlink_pinned_locked(const void *p, bool host_block)
{
	struct acl_pinned **link, *b;

	for (link = &acl_rt.pinned; *link; link = &(*link)->next) {
		b = *link;
		if (b->ptr == p && b->host_block == host_block) {
			*link = b->next;
			return b;
		}
	}
	return NULL;
}

void acl_pinned_free(void *ptr)
{
	struct acl_pinned *b;

	if (!ptr)
		return;
	acl_lock();
	b = unlink_pinned_locked(ptr, false);
	if (b)
		unregister_all(b);
	acl_unlock();
	if (b) {
		free(b->ptr);
		free(b);
	}
}

void acl_pinned_drop_device_locked(int32_t dev)
{
	struct acl_pinned **link = &acl_rt.pinned, *b;

	while ((b = *link)) {
		if (!(b->devs & (1ull << dev))) {
			link = &b->next;
			continue;
		}
		halHostUnregister(b->ptr, (uint32_t)dev);
		b->devs &= ~(1ull << dev);
		if (b->host_block) {
			link = &b->next;
			continue;
		}
		/* the runtime's own buffers of a device go with it */
		*link = b->next;
		unregister_all(b);
		free(b->ptr);
		free(b);
	}
}

void acl_pinned_free_all_locked(void)
{
	struct acl_pinned *b, *next;

	for (b = acl_rt.pinned; b; b = next) {
		next = b->next;
		unregister_all(b);
		free(b->ptr);
		free(b);
	}
	acl_rt.pinned = NULL;
}

ACL_FUNC_VISIBILITY aclError aclrtMallocHost(void **hostPtr, size_t size)
{
	static const char api[] = "aclrtMallocHost";
	struct acl_context *ctx;
	int32_t dev = -1;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	ctx = acl_current_context_locked();
	if (ctx)
		dev = ctx->dev;
	acl_unlock();
	if (!hostPtr || !size)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s",
				!hostPtr ? "hostPtr is NULL" : "size must be greater than 0");
	if (size > SIZE_MAX - HOST_PAGE)
		return acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api, "%zu bytes is too much", size);
	/* pinned for the current device now, for others when first used with them */
	return pinned_new(api, page_round(size), dev, true, hostPtr);
}

ACL_FUNC_VISIBILITY aclError aclrtFreeHost(void *hostPtr)
{
	static const char api[] = "aclrtFreeHost";
	struct acl_pinned *b;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!hostPtr) {
		acl_unlock();
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "hostPtr is NULL");
	}
	b = unlink_pinned_locked(hostPtr, true);
	if (b)
		unregister_all(b);
	acl_unlock();
	if (!b)
		return acl_fail(ACL_ERROR_RT_MEMORY_FREE, api, "%p was not allocated by aclrtMallocHost%s",
				hostPtr, acl_is_dev_mem(hostPtr, 0, NULL) ?
				" (it is device memory: use aclrtFree)" : "");
	free(b->ptr);
	free(b);
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclrtGetMemInfo(aclrtMemAttr attr, size_t *free, size_t *total)
{
	static const char api[] = "aclrtGetMemInfo";
	struct halVascendMemInfo info;
	drvError_t drv;
	aclError ret;
	int32_t dev;

	ret = acl_check_init(api);
	if (ret)
		return ret;
	if (!free || !total)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "free and total must not be NULL");
	if ((unsigned int)attr > ACL_MEM_P2P_HUGE1G)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "unknown memory attribute %d", (int)attr);
	ret = acl_current_device(api, &dev);
	if (ret)
		return ret;
	switch (attr) {
	case ACL_DDR_MEM:
	case ACL_DDR_MEM_HUGE:
	case ACL_DDR_MEM_NORMAL:
	case ACL_DDR_MEM_P2P_HUGE:
	case ACL_DDR_MEM_P2P_NORMAL:
		/* the card has HBM only */
		*free = 0;
		*total = 0;
		return ACL_SUCCESS;
	default:
		break;
	}
	drv = halVascendMemQuery((uint32_t)dev, &info);
	if (drv)
		return acl_fail_hal(acl_code_from_drv(drv), api, "cannot query device %d's memory",
				    dev);
	/* one pool serves every page size */
	*free = (size_t)info.free;
	*total = (size_t)info.total;
	return ACL_SUCCESS;
}
