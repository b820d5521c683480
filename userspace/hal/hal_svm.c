// SPDX-License-Identifier: MIT
/*
 * Device memory and registered host memory through /dev/devmm_svm
 * (include/uapi/vascend_svm.h): the process's SVM window, mapped once on
 * first use, and a table of what this process allocated and registered so
 * that a pointer can be told apart (device memory of which card, or not).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "vascend_svm.h"

#include "hal_error.h"
#include "hal_internal.h"
#include "hal_os.h"

_Static_assert(HAL_VASCEND_MEM_HUGE_FIRST == VASCEND_SVM_HUGE_FIRST, "policies differ");
_Static_assert(HAL_VASCEND_MEM_HUGE_ONLY == VASCEND_SVM_HUGE_ONLY, "policies differ");
_Static_assert(HAL_VASCEND_MEM_NORMAL_ONLY == VASCEND_SVM_NORMAL_ONLY, "policies differ");

/*
 * The window reserves address space only (no pages, no memory): large
 * enough for every card's HBM several times over.
 */
#define SVM_WINDOW_SIZE		(64ULL << 30)
#define SVM_PAGE		4096ULL

struct svm_range {
	uint64_t addr;
	uint64_t size;
	uint32_t dev;
};

/*
 * Read-held by every user of the fd and by lookups, write-held to open or
 * close the fd and to change the tables. An ioctl runs read-held, so the fd
 * is never closed under it.
 */
static pthread_rwlock_t svm_lock = PTHREAD_RWLOCK_INITIALIZER;
static const struct hal_os_ops *svm_os;
static int svm_fd = -1;
static void *svm_base;
static uint64_t svm_size;
static struct svm_range *allocs;	/* sorted by addr */
static size_t n_allocs, cap_allocs;
static struct svm_range *regs;		/* unsorted: few */
static size_t n_regs, cap_regs;

bool hal_svm_in_use(void)
{
	bool used;

	pthread_rwlock_rdlock(&svm_lock);
	used = svm_fd >= 0;
	pthread_rwlock_unlock(&svm_lock);
	return used;
}

/* Open the node and map the window when not done yet; returns with svm_lock read-held. */
static drvError_t svm_get(void)
{
	const struct hal_os_ops *os;
	drvError_t ret;
	void *base;
	int fd, err;

	pthread_rwlock_rdlock(&svm_lock);
	if (svm_fd >= 0)
		return DRV_ERROR_NONE;
	pthread_rwlock_unlock(&svm_lock);

	ret = hal_backend(&os);
	if (ret)
		return ret;
	pthread_rwlock_wrlock(&svm_lock);
	if (svm_fd < 0) {
		fd = os->open(HAL_SVM_NODE);
		if (fd < 0) {
			pthread_rwlock_unlock(&svm_lock);
			return hal_fail(hal_errno_to_drv(-fd), -fd, "%s", HAL_SVM_NODE);
		}
		err = os->mmap(fd, SVM_WINDOW_SIZE, &base);
		if (err) {
			os->close(fd);
			pthread_rwlock_unlock(&svm_lock);
			return hal_fail(hal_errno_to_drv(-err), -err,
					"%s: mapping the %llu GiB SVM window", HAL_SVM_NODE,
					SVM_WINDOW_SIZE >> 30);
		}
		svm_os = os;
		svm_fd = fd;
		svm_base = base;
		svm_size = SVM_WINDOW_SIZE;
	}
	/* downgrade: nobody can close it between these two, the caller re-checks nothing */
	pthread_rwlock_unlock(&svm_lock);
	pthread_rwlock_rdlock(&svm_lock);
	if (svm_fd < 0) {
		pthread_rwlock_unlock(&svm_lock);
		return hal_fail(DRV_ERROR_INNER_ERR, 0, "%s closed while being opened", HAL_SVM_NODE);
	}
	return DRV_ERROR_NONE;
}

static void svm_put(void)
{
	pthread_rwlock_unlock(&svm_lock);
}

static int svm_ioctl(unsigned long req, void *arg)
{
	return hal_ioctl(svm_os, svm_fd, req, arg);
}

/* Index of the first allocation whose addr is > @addr (write- or read-held). */
static size_t upper_bound(uint64_t addr)
{
	size_t lo = 0, hi = n_allocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (allocs[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The allocation containing @addr, or NULL (lock held). */
static struct svm_range *find_alloc(uint64_t addr)
{
	size_t i = upper_bound(addr);

	if (!i)
		return NULL;
	i--;
	return addr - allocs[i].addr < allocs[i].size ? &allocs[i] : NULL;
}

static int grow(void **arr, size_t *cap, size_t n)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	p = realloc(*arr, ncap * sizeof(struct svm_range));
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

DLLEXPORT drvError_t halMemAlloc(void **pp, unsigned long long size, unsigned long long flag)
{
	struct vascend_svm_alloc a;
	uint32_t dev = (uint32_t)(flag >> 32);
	uint32_t policy = (uint32_t)flag;
	drvError_t ret;
	size_t i;
	int err;

	if (!pp || !size)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halMemAlloc: %s",
				!pp ? "pp is NULL" : "size is 0");
	*pp = NULL;
	if (policy > VASCEND_SVM_NORMAL_ONLY || dev >= HAL_VASCEND_MAX_DEVICES)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0,
				"halMemAlloc: flag 0x%llx names device %u, policy %u", flag, dev,
				policy);
	ret = svm_get();
	if (ret)
		return ret;
	svm_put();
	/* write-held across the ioctl: the table and the driver agree at all times */
	pthread_rwlock_wrlock(&svm_lock);
	if (svm_fd < 0) {
		pthread_rwlock_unlock(&svm_lock);
		return hal_fail(DRV_ERROR_INNER_ERR, 0, "%s was closed meanwhile", HAL_SVM_NODE);
	}
	if (grow((void **)&allocs, &cap_allocs, n_allocs)) {
		pthread_rwlock_unlock(&svm_lock);
		return hal_fail(DRV_ERROR_MALLOC_FAIL, ENOMEM, "halMemAlloc: allocation table");
	}
	memset(&a, 0, sizeof(a));
	a.dev_id = dev;
	a.flags = policy;
	a.size = size;
	err = svm_ioctl(VASCEND_IOCTL_SVM_ALLOC, &a);
	if (err) {
		pthread_rwlock_unlock(&svm_lock);
		if (err == -ENOMEM)
			return hal_fail(DRV_ERROR_OUT_OF_MEMORY, 0,
					"%s: VASCEND_IOCTL_SVM_ALLOC of %llu bytes on device %u: "
					"out of device memory (%" PRIu64 " bytes free, largest block %"
					PRIu64 ")", HAL_SVM_NODE, size, dev, (uint64_t)a.free,
					(uint64_t)a.largest);
		return hal_fail(hal_errno_to_drv(-err), -err,
				"%s: VASCEND_IOCTL_SVM_ALLOC of %llu bytes on device %u",
				HAL_SVM_NODE, size, dev);
	}
	i = upper_bound(a.va);
	memmove(&allocs[i + 1], &allocs[i], (n_allocs - i) * sizeof(allocs[0]));
	allocs[i].addr = a.va;
	/* the driver rounds up to its page size: the whole block is the caller's */
	allocs[i].size = (size + SVM_PAGE - 1) & ~(SVM_PAGE - 1);
	allocs[i].dev = dev;
	n_allocs++;
	pthread_rwlock_unlock(&svm_lock);
	*pp = (void *)(uintptr_t)a.va;
	return DRV_ERROR_NONE;
}

/* SVM_FREE of @addr on @dev (svm_lock read-held). */
static int svm_free_ioctl(uint64_t addr, uint32_t dev)
{
	struct vascend_svm_range r;

	memset(&r, 0, sizeof(r));
	r.dev_id = dev;
	r.addr = addr;
	return svm_ioctl(VASCEND_IOCTL_SVM_FREE, &r);
}

DLLEXPORT drvError_t halMemFree(void *pp)
{
	uint64_t addr = (uint64_t)(uintptr_t)pp;
	struct svm_range *r;
	uint32_t dev;
	size_t i;
	int err;

	if (!pp)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halMemFree: pp is NULL");
	pthread_rwlock_wrlock(&svm_lock);
	r = svm_fd >= 0 ? find_alloc(addr) : NULL;
	if (!r || r->addr != addr) {
		pthread_rwlock_unlock(&svm_lock);
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0,
				"halMemFree: %p is not the start of device memory from halMemAlloc%s",
				pp, r ? " (it is inside an allocation)" : "");
	}
	dev = r->dev;
	i = (size_t)(r - allocs);
	memmove(&allocs[i], &allocs[i + 1], (n_allocs - i - 1) * sizeof(allocs[0]));
	n_allocs--;
	err = svm_free_ioctl(addr, dev);
	pthread_rwlock_unlock(&svm_lock);
	if (err)
		return hal_fail(hal_errno_to_drv(-err), -err,
				"%s: VASCEND_IOCTL_SVM_FREE of %p on device %u", HAL_SVM_NODE, pp,
				dev);
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halHostRegister(void *srcPtr, uint64_t size, uint32_t flag, uint32_t devid,
				     void **dstPtr)
{
	struct vascend_svm_range r;
	drvError_t ret;
	int err;

	if (!srcPtr || !size || !dstPtr)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0,
				"halHostRegister: srcPtr %p, size %" PRIu64 ", dstPtr %p", srcPtr,
				size, (void *)dstPtr);
	if (flag & ~HAL_VASCEND_HOST_REG_READONLY)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halHostRegister: unknown flag 0x%x",
				flag);
	if (((uintptr_t)srcPtr | size) & (SVM_PAGE - 1))
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0,
				"halHostRegister: %p + %" PRIu64 " is not 4 KiB aligned", srcPtr,
				size);
	ret = svm_get();
	if (ret)
		return ret;
	svm_put();
	pthread_rwlock_wrlock(&svm_lock);
	if (svm_fd < 0 || grow((void **)&regs, &cap_regs, n_regs)) {
		pthread_rwlock_unlock(&svm_lock);
		return hal_fail(DRV_ERROR_INNER_ERR, 0, "halHostRegister: %s",
				svm_fd < 0 ? "the SVM node was closed meanwhile" :
					     "out of memory for the registration table");
	}
	memset(&r, 0, sizeof(r));
	r.dev_id = devid;
	r.flags = flag & HAL_VASCEND_HOST_REG_READONLY ? VASCEND_SVM_REG_READONLY : 0;
	r.addr = (uint64_t)(uintptr_t)srcPtr;
	r.size = size;
	err = svm_ioctl(VASCEND_IOCTL_SVM_REGISTER, &r);
	if (!err) {
		regs[n_regs].addr = r.addr;
		regs[n_regs].size = size;
		regs[n_regs].dev = devid;
		n_regs++;
	}
	pthread_rwlock_unlock(&svm_lock);
	if (err)
		return hal_fail(hal_errno_to_drv(-err), -err,
				"%s: VASCEND_IOCTL_SVM_REGISTER of %p + %" PRIu64 " for device %u%s",
				HAL_SVM_NODE, srcPtr, size, devid,
				err == -EEXIST ? " (overlaps memory registered already)" : "");
	*dstPtr = srcPtr;
	return DRV_ERROR_NONE;
}

/* SVM_UNREGISTER (svm_lock held). */
static int svm_unregister_ioctl(uint64_t addr, uint32_t dev)
{
	struct vascend_svm_range r;

	memset(&r, 0, sizeof(r));
	r.dev_id = dev;
	r.addr = addr;
	return svm_ioctl(VASCEND_IOCTL_SVM_UNREGISTER, &r);
}

DLLEXPORT drvError_t halHostUnregister(void *srcPtr, uint32_t devid)
{
	uint64_t addr = (uint64_t)(uintptr_t)srcPtr;
	size_t i;
	int err;

	if (!srcPtr)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halHostUnregister: srcPtr is NULL");
	pthread_rwlock_wrlock(&svm_lock);
	for (i = 0; i < n_regs; i++)
		if (regs[i].addr == addr && regs[i].dev == devid)
			break;
	if (svm_fd < 0 || i == n_regs) {
		pthread_rwlock_unlock(&svm_lock);
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0,
				"halHostUnregister: %p is not registered for device %u", srcPtr,
				devid);
	}
	regs[i] = regs[--n_regs];
	err = svm_unregister_ioctl(addr, devid);
	pthread_rwlock_unlock(&svm_lock);
	if (err)
		return hal_fail(hal_errno_to_drv(-err), -err,
				"%s: VASCEND_IOCTL_SVM_UNREGISTER of %p for device %u",
				HAL_SVM_NODE, srcPtr, devid);
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendMemQuery(uint32_t devId, struct halVascendMemInfo *info)
{
	struct vascend_svm_query q;
	drvError_t ret;
	int err;

	if (!info)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendMemQuery: info is NULL");
	ret = svm_get();
	if (ret)
		return ret;
	memset(&q, 0, sizeof(q));
	q.dev_id = devId;
	err = svm_ioctl(VASCEND_IOCTL_SVM_QUERY, &q);
	svm_put();
	if (err)
		return hal_fail(hal_errno_to_drv(-err), -err,
				"%s: VASCEND_IOCTL_SVM_QUERY of device %u", HAL_SVM_NODE, devId);
	info->total = q.total;
	info->free = q.free;
	info->largest = q.largest;
	info->procHbm = q.proc_hbm;
	info->procPinned = q.proc_pinned;
	info->windowBase = q.window_base;
	info->windowSize = q.window_size;
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendMemLookup(const void *ptr, void **base, uint64_t *size,
					 uint32_t *devId)
{
	uint64_t addr = (uint64_t)(uintptr_t)ptr;
	struct svm_range *r = NULL;
	bool in_window;

	pthread_rwlock_rdlock(&svm_lock);
	/* outside the window nothing can match: no search */
	in_window = svm_fd >= 0 && addr - (uint64_t)(uintptr_t)svm_base < svm_size;
	if (in_window)
		r = find_alloc(addr);
	if (r) {
		if (base)
			*base = (void *)(uintptr_t)r->addr;
		if (size)
			*size = r->size;
		if (devId)
			*devId = r->dev;
	}
	pthread_rwlock_unlock(&svm_lock);
	/*
	 * The window holds device memory only: an address there outside every
	 * allocation is a stale device pointer, never host memory (touching it
	 * from the host faults), and callers must not treat it as host memory.
	 */
	if (!r && in_window)
		return hal_fail(DRV_ERROR_NOT_EXIST, 0,
				"%p is in the device memory window but in no live allocation", ptr);
	if (!r)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "%p is not device memory", ptr);
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendMemFreeAll(uint32_t devId)
{
	drvError_t ret = DRV_ERROR_NONE;
	size_t i, j;
	int err;

	pthread_rwlock_wrlock(&svm_lock);
	if (svm_fd < 0)
		goto unlock;
	for (i = 0, j = 0; i < n_allocs; i++) {
		if (allocs[i].dev != devId) {
			allocs[j++] = allocs[i];
			continue;
		}
		err = svm_free_ioctl(allocs[i].addr, devId);
		if (err && !ret)
			ret = hal_fail(hal_errno_to_drv(-err), -err,
				       "%s: VASCEND_IOCTL_SVM_FREE of 0x%" PRIx64 " on device %u",
				       HAL_SVM_NODE, allocs[i].addr, devId);
	}
	n_allocs = j;
	for (i = 0, j = 0; i < n_regs; i++) {
		if (regs[i].dev != devId) {
			regs[j++] = regs[i];
			continue;
		}
		err = svm_unregister_ioctl(regs[i].addr, devId);
		if (err && !ret)
			ret = hal_fail(hal_errno_to_drv(-err), -err,
				       "%s: VASCEND_IOCTL_SVM_UNREGISTER of 0x%" PRIx64
				       " for device %u", HAL_SVM_NODE, regs[i].addr, devId);
	}
	n_regs = j;
unlock:
	pthread_rwlock_unlock(&svm_lock);
	return ret;
}

DLLEXPORT drvError_t halVascendSvmRelease(void)
{
	drvError_t ret = DRV_ERROR_NONE;

	pthread_rwlock_wrlock(&svm_lock);
	if (svm_fd < 0)
		goto unlock;
	if (n_allocs || n_regs) {
		ret = hal_fail(DRV_ERROR_BUSY, 0,
			       "%s: %zu allocations and %zu registrations still live",
			       HAL_SVM_NODE, n_allocs, n_regs);
		goto unlock;
	}
	svm_os->munmap(svm_base, svm_size);
	svm_os->close(svm_fd);
	svm_fd = -1;
	svm_base = NULL;
	svm_size = 0;
	svm_os = NULL;
unlock:
	pthread_rwlock_unlock(&svm_lock);
	return ret;
}
