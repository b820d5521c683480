// SPDX-License-Identifier: MIT
/*
 * Large synchronous copies from and to pageable memory on fake cards: the
 * runtime pins the caller's pages for the copy and unpins them after. The
 * data lands whole and in place from an unaligned buffer, nothing stays
 * pinned, and when the pages cannot be pinned (a page is registered
 * already) the copy goes through the bounce buffer and still arrives.
 */
#include <stdint.h>

#include "acl_test.h"
#include "vascend_davinci.h"

#define LEN	(20 * MiB + 123)
#define OFF	100			/* not page aligned */

static void fill(uint8_t *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + seed + (i >> 13));
}

static int same(const uint8_t *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)(i * 7 + seed + (i >> 13)))
			return 0;
	return 1;
}

/* Whether the whole of [@p, @p + @len) can be registered now (nothing of it still pinned). */
static int unpinned(void *p, size_t len)
{
	uintptr_t lo = (uintptr_t)p & ~(uintptr_t)4095;
	uintptr_t hi = ((uintptr_t)p + len + 4095) & ~(uintptr_t)4095;
	void *dst;

	if (halHostRegister((void *)lo, hi - lo, 0, 0, &dst))
		return 0;
	return halHostUnregister((void *)lo, 0) == DRV_ERROR_NONE;
}

int main(void)
{
	uint8_t *mem, *src, *dst, *hbm;
	unsigned long tasks0;
	void *dev = NULL, *blocked, *reg;

	FAKE_CARDS(64 * MiB, 0);
	if (posix_memalign((void **)&mem, 4096, 2 * (LEN + OFF + 4096)) ||
	    aclInit(NULL) || aclrtSetDevice(0) ||
	    aclrtMalloc(&dev, LEN, ACL_MEM_MALLOC_HUGE_FIRST))
		bail_out("setting up");
	src = mem + OFF;
	dst = mem + LEN + OFF + 4096 + OFF;

	/* pinned piece by piece */
	fill(src, LEN, 1);
	tasks0 = hal_fake_tasks_run(0, VASCEND_TASK_MEMCPY);
	TAP_CHECK(aclrtMemcpy(dev, LEN, src, LEN, ACL_MEMCPY_HOST_TO_DEVICE) == ACL_SUCCESS,
		  "H2D of 20 MiB + 123 bytes from an unaligned pageable buffer");
	hbm = hal_fake_dev_ptr(0, (uintptr_t)dev, LEN, false);
	TAP_CHECK(hbm && same(hbm, LEN, 1), "every byte landed in place");
	TAP_CHECK(hal_fake_tasks_run(0, VASCEND_TASK_MEMCPY) - tasks0 == 1,
		  "as one copy straight from the pinned pages (%lu)",
		  hal_fake_tasks_run(0, VASCEND_TASK_MEMCPY) - tasks0);
	TAP_CHECK(unpinned(src, LEN), "nothing of the source stays pinned");
	memset(dst, 0, LEN);
	TAP_CHECK(aclrtMemcpy(dst, LEN, dev, LEN, ACL_MEMCPY_DEVICE_TO_HOST) == ACL_SUCCESS &&
		  same(dst, LEN, 1), "D2H brings it back whole");
	TAP_CHECK(unpinned(dst, LEN), "nothing of the destination stays pinned");

	/* a page of the buffer is registered already: the copy is staged */
	blocked = (void *)(((uintptr_t)src + 12 * MiB) & ~(uintptr_t)4095);
	if (halHostRegister(blocked, 4096, 0, 0, &reg))
		bail_out("registering one page");
	fill(src, LEN, 2);
	tasks0 = hal_fake_tasks_run(0, VASCEND_TASK_MEMCPY);
	TAP_CHECK(aclrtMemcpy(dev, LEN, src, LEN, ACL_MEMCPY_HOST_TO_DEVICE) == ACL_SUCCESS,
		  "H2D with a page of the buffer pinned by someone else");
	TAP_CHECK(same(hbm, LEN, 2), "every byte still landed in place");
	TAP_CHECK(hal_fake_tasks_run(0, VASCEND_TASK_MEMCPY) - tasks0 == (LEN + 2 * MiB - 1) / (2 * MiB),
		  "through the bounce buffer, 2 MiB at a time (%lu copies)",
		  hal_fake_tasks_run(0, VASCEND_TASK_MEMCPY) - tasks0);
	memset(dst, 0, LEN);
	fill(hbm, LEN, 3);
	TAP_CHECK(aclrtMemcpy(src, LEN, dev, LEN, ACL_MEMCPY_DEVICE_TO_HOST) == ACL_SUCCESS &&
		  same(src, LEN, 3), "D2H into the same buffer arrives whole too");
	halHostUnregister(blocked, 0);
	TAP_CHECK(unpinned(src, LEN), "and leaves nothing pinned");

	TAP_CHECK(aclrtFree(dev) == ACL_SUCCESS && aclrtResetDevice(0) == ACL_SUCCESS &&
		  aclFinalize() == ACL_SUCCESS, "clean up");
	free(mem);
	return tap_done();
}
