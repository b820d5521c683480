// SPDX-License-Identifier: MIT
/*
 * Memory through AscendCL on fake cards: aclrtMalloc/aclrtFree, host memory,
 * aclrtMemcpy in every kind (with the bytes checked in the card's HBM, not
 * just after a round trip), aclrtMemset, and every misuse we can think of.
 */
#include <errno.h>

#include "acl_devptr.h"
#include "acl_test.h"
#include "vascend_davinci.h"

#define HBM_SIZE (32 * MiB)

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (unsigned char)(seed >> 16);
	}
}

/* Where device pointer @p lands in its fake card's HBM. */
static uint8_t *hbm_at(const void *p)
{
	return hal_fake_hbm((uint32_t)acl_devptr_dev(p)) + acl_devptr_off(p);
}

static void malloc_free(void)
{
	size_t free0 = 0, free1 = 0, total = 0;
	void *p[3] = { NULL }, *q = NULL, *host = NULL;
	static const aclrtMemMallocPolicy policies[] = {
		ACL_MEM_MALLOC_HUGE_FIRST, ACL_MEM_MALLOC_HUGE_ONLY, ACL_MEM_MALLOC_NORMAL_ONLY,
	};
	unsigned int i;
	int local;

	CHECK_RET_MSG(aclrtMalloc(&q, 16, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_RT_CONTEXT_NULL,
		      "aclrtMalloc: no current device in this thread");
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(NULL, 16, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_INVALID_PARAM);
	CHECK_RET_MSG(aclrtMalloc(&q, 0, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_INVALID_PARAM,
		      "size must be greater than 0");

	CHECK_RET(aclrtGetMemInfo(ACL_HBM_MEM, &free0, &total), ACL_SUCCESS);
	for (i = 0; i < ARRAY_SIZE(policies); i++)
		CHECK_RET(aclrtMalloc(&p[i], 1000, policies[i]), ACL_SUCCESS);
	TAP_CHECK(p[0] && p[1] && p[2] && p[0] != p[1] && p[1] != p[2] && p[0] != p[2],
		  "every policy allocates, at distinct addresses");
	TAP_CHECK(acl_is_devptr(p[0]) && (uintptr_t)p[0] >> 56 == 0xd5 && acl_devptr_dev(p[0]) == 0,
		  "device pointers are tagged, outside any host address, and name device 0 (%p)", p[0]);
	CHECK_RET(aclrtGetMemInfo(ACL_HBM_MEM, &free1, &total), ACL_SUCCESS);
	/* 1000 -> 1024 (32-byte rounding) + 32 padding -> 1536 (512-byte blocks) */
	TAP_CHECK(free0 - free1 == 3 * 1536, "each 1000-byte allocation takes 1536 bytes (%zu)",
		  free0 - free1);

	CHECK_RET(aclrtMalloc(&q, 1, (aclrtMemMallocPolicy)0x77), ACL_SUCCESS);
	TAP_CHECK(q != NULL, "an unknown policy allocates anyway, as in CANN");
	CHECK_RET(aclrtFree(q), ACL_SUCCESS);

	CHECK_RET_MSG(aclrtMalloc(&q, HBM_SIZE + 1, ACL_MEM_MALLOC_HUGE_FIRST),
		      ACL_ERROR_RT_MEMORY_ALLOCATION, "aclrtMalloc: out of memory on device 0");
	CHECK_RET(aclrtMalloc(&q, (size_t)-1, ACL_MEM_MALLOC_HUGE_FIRST),
		  ACL_ERROR_RT_MEMORY_ALLOCATION);

	CHECK_RET(aclrtFree(p[1]), ACL_SUCCESS);
	CHECK_RET_MSG(aclrtFree(p[1]), ACL_ERROR_RT_MEMORY_FREE, "already freed, or not its start");
	CHECK_RET(aclrtFree((char *)p[0] + 64), ACL_ERROR_RT_MEMORY_FREE);
	CHECK_RET_MSG(aclrtFree(&local), ACL_ERROR_RT_MEMORY_FREE, "is not device memory from aclrtMalloc");
	CHECK_RET(aclrtFree(NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtFree(acl_devptr_make(5, 0)), ACL_ERROR_RT_MEMORY_FREE);
	CHECK_RET(aclrtMallocHost(&host, 64), ACL_SUCCESS);
	CHECK_RET_MSG(aclrtFree(host), ACL_ERROR_RT_MEMORY_FREE, "use aclrtFreeHost");
	CHECK_RET(aclrtFree(p[0]), ACL_SUCCESS);
	CHECK_RET(aclrtFree(p[2]), ACL_SUCCESS);
	CHECK_RET(aclrtGetMemInfo(ACL_HBM_MEM, &free1, &total), ACL_SUCCESS);
	TAP_CHECK(free1 == free0, "all memory is back after freeing");

	/* host memory */
	TAP_CHECK(((uintptr_t)host & 4095) == 0 && !acl_is_devptr(host), "host memory is page aligned");
	memset(host, 0x3c, 64);
	CHECK_RET_MSG(aclrtFreeHost(p[0]), ACL_ERROR_RT_MEMORY_FREE, "use aclrtFree");
	CHECK_RET_MSG(aclrtFreeHost(&local), ACL_ERROR_RT_MEMORY_FREE,
		      "was not allocated by aclrtMallocHost");
	CHECK_RET(aclrtFreeHost(NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtMallocHost(NULL, 64), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtMallocHost(&q, 0), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtFreeHost(host), ACL_SUCCESS);
	CHECK_RET(aclrtFreeHost(host), ACL_ERROR_RT_MEMORY_FREE);
}

static void copies(void)
{
	enum { N = 100000 };
	static unsigned char src[N], dst[N];
	void *a = NULL, *b = NULL, *c = NULL;

	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&a, N, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&b, N, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	fill(src, N, 1);

	CHECK_RET(aclrtMemcpy(a, N, src, N, ACL_MEMCPY_HOST_TO_DEVICE), ACL_SUCCESS);
	TAP_CHECK(!memcmp(hbm_at(a), src, N), "H2D: the bytes are in the card's HBM");
	memset(dst, 0, N);
	CHECK_RET(aclrtMemcpy(dst, N, a, N, ACL_MEMCPY_DEVICE_TO_HOST), ACL_SUCCESS);
	TAP_CHECK(!memcmp(dst, src, N), "D2H: and come back");

	CHECK_RET(aclrtMemcpy(b, N, a, N, ACL_MEMCPY_DEVICE_TO_DEVICE), ACL_SUCCESS);
	TAP_CHECK(!memcmp(hbm_at(b), src, N), "D2D within a card");
	CHECK_RET(aclrtMemset(b, N, 0, N), ACL_SUCCESS);
	CHECK_RET(aclrtMemcpy(b, N, a, N, ACL_MEMCPY_INNER_DEVICE_TO_DEVICE), ACL_SUCCESS);
	TAP_CHECK(!memcmp(hbm_at(b), src, N), "ACL_MEMCPY_INNER_DEVICE_TO_DEVICE within a card");

	memset(dst, 0, N);
	CHECK_RET(aclrtMemcpy(dst, N, src, N, ACL_MEMCPY_HOST_TO_HOST), ACL_SUCCESS);
	TAP_CHECK(!memcmp(dst, src, N), "H2H");

	fill(src, N, 2);
	CHECK_RET(aclrtMemcpy(a, N, src, N, ACL_MEMCPY_DEFAULT), ACL_SUCCESS);
	TAP_CHECK(!memcmp(hbm_at(a), src, N), "ACL_MEMCPY_DEFAULT infers H2D from the addresses");
	CHECK_RET(aclrtMemcpy(b, N, a, N, ACL_MEMCPY_DEFAULT), ACL_SUCCESS);
	memset(dst, 0, N);
	CHECK_RET(aclrtMemcpy(dst, N, b, N, ACL_MEMCPY_DEFAULT), ACL_SUCCESS);
	TAP_CHECK(!memcmp(dst, src, N), "and D2D and D2H");
	fill(src, N, 3);
	CHECK_RET(aclrtMemcpy(a, N, src, N, ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE), ACL_SUCCESS);
	TAP_CHECK(!memcmp(hbm_at(a), src, N), "ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE");

	/* interior pointers: a window in the middle of an allocation */
	CHECK_RET(aclrtMemcpy((char *)a + 1000, 24, "interior pointer works!", 24,
			      ACL_MEMCPY_HOST_TO_DEVICE), ACL_SUCCESS);
	TAP_CHECK(!memcmp(hbm_at(a) + 1000, "interior pointer works!", 24),
		  "copies to an address inside an allocation");
	CHECK_RET(aclrtMemcpy(dst, 0, a, 0, ACL_MEMCPY_DEVICE_TO_HOST), ACL_SUCCESS);

	/* across cards */
	CHECK_RET(aclrtSetDevice(1), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&c, N, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	TAP_CHECK(acl_devptr_dev(c) == 1, "device 1's pointers say so");
	CHECK_RET(aclrtMemcpy(c, N, a, N, ACL_MEMCPY_DEVICE_TO_DEVICE), ACL_SUCCESS);
	TAP_CHECK(!memcmp(hal_fake_hbm(1) + acl_devptr_off(c), hbm_at(a), N),
		  "D2D from card 0 to card 1");
	CHECK_RET(aclrtMemset(b, N, 0, N), ACL_SUCCESS);
	CHECK_RET(aclrtMemcpy(b, N, c, N, ACL_MEMCPY_INTER_DEVICE_TO_DEVICE), ACL_SUCCESS);
	TAP_CHECK(!memcmp(hbm_at(b), hbm_at(a), N), "ACL_MEMCPY_INTER_DEVICE_TO_DEVICE back to card 0");
	CHECK_RET_MSG(aclrtMemcpy(c, N, a, N, ACL_MEMCPY_INNER_DEVICE_TO_DEVICE),
		      ACL_ERROR_RT_PARAM_INVALID, "ACL_MEMCPY_INNER_DEVICE_TO_DEVICE between devices 0 and 1");
	CHECK_RET_MSG(aclrtMemcpy(b, N, a, N, ACL_MEMCPY_INTER_DEVICE_TO_DEVICE),
		      ACL_ERROR_RT_PARAM_INVALID, "ACL_MEMCPY_INTER_DEVICE_TO_DEVICE within device 0");
	CHECK_RET(aclrtFree(c), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(1), ACL_SUCCESS);
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);	/* device 0 is now set twice */

	/* misuse */
	CHECK_RET_MSG(aclrtMemcpy(a, 9, src, 10, ACL_MEMCPY_HOST_TO_DEVICE), ACL_ERROR_RT_PARAM_INVALID,
		      "aclrtMemcpy: count 10 is larger than destMax 9");
	CHECK_RET_MSG(aclrtMemcpy(a, N, src, N, (aclrtMemcpyKind)8), ACL_ERROR_INVALID_PARAM,
		      "unknown memcpy kind 8");
	CHECK_RET(aclrtMemcpy(a, N, src, N, (aclrtMemcpyKind)-1), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtMemcpy(NULL, N, src, N, ACL_MEMCPY_HOST_TO_DEVICE), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtMemcpy(a, N, NULL, N, ACL_MEMCPY_HOST_TO_DEVICE), ACL_ERROR_INVALID_PARAM);
	CHECK_RET_MSG(aclrtMemcpy(dst, N, src, N, ACL_MEMCPY_HOST_TO_DEVICE), ACL_ERROR_RT_PARAM_INVALID,
		      "ACL_MEMCPY_HOST_TO_DEVICE, but dst");
	CHECK_RET_MSG(aclrtMemcpy(a, N, b, N, ACL_MEMCPY_HOST_TO_DEVICE), ACL_ERROR_RT_PARAM_INVALID,
		      "but src");
	CHECK_RET_MSG(aclrtMemcpy(a, N, src, N, ACL_MEMCPY_DEVICE_TO_HOST), ACL_ERROR_RT_PARAM_INVALID,
		      "is device memory");
	CHECK_RET(aclrtMemcpy(dst, N, a, N, ACL_MEMCPY_HOST_TO_HOST), ACL_ERROR_RT_PARAM_INVALID);
	CHECK_RET(aclrtMemcpy(dst, N, src, N, ACL_MEMCPY_DEVICE_TO_DEVICE), ACL_ERROR_RT_PARAM_INVALID);
	/* the allocation is rounded and padded to 100352 bytes (196 blocks of 512) */
	CHECK_RET(aclrtMemcpy((char *)a + N, 352, src, 352, ACL_MEMCPY_HOST_TO_DEVICE), ACL_SUCCESS);
	CHECK_RET_MSG(aclrtMemcpy((char *)a + N, 353, src, 353, ACL_MEMCPY_HOST_TO_DEVICE),
		      ACL_ERROR_RT_PARAM_INVALID, "runs past the end of its allocation");
	CHECK_RET_MSG(aclrtMemcpy(acl_devptr_make(0, HBM_SIZE - 4096), 16, src, 16,
				  ACL_MEMCPY_HOST_TO_DEVICE),
		      ACL_ERROR_RT_PARAM_INVALID, "is not inside any allocation on device 0");
	CHECK_RET_MSG(aclrtMemcpy(acl_devptr_make(1, 0), 16, src, 16, ACL_MEMCPY_HOST_TO_DEVICE),
		      ACL_ERROR_RT_PARAM_INVALID, "belongs to device 1, which is not set");

	CHECK_RET(aclrtFree(b), ACL_SUCCESS);
	CHECK_RET_MSG(aclrtMemcpy(dst, N, b, N, ACL_MEMCPY_DEVICE_TO_HOST), ACL_ERROR_RT_PARAM_INVALID,
		      "(freed?)");
	CHECK_RET(aclrtFree(a), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtMemcpy(dst, N, src, N, ACL_MEMCPY_HOST_TO_HOST), ACL_SUCCESS);
	CHECK_RET_MSG(aclrtMemcpy(a, N, src, N, ACL_MEMCPY_HOST_TO_DEVICE), ACL_ERROR_RT_CONTEXT_NULL,
		      "call aclrtSetDevice again");
}

/* Overlapping device copies behave like memmove, across bounce-buffer chunks. */
static void overlapping(void)
{
	enum { LEN = 9 * MiB, SHIFT = 1 * MiB + 3 };
	unsigned char *src = malloc(LEN + SHIFT), *want = malloc(LEN + SHIFT);
	void *a = NULL;

	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&a, LEN + SHIFT, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	fill(src, LEN + SHIFT, 4);

	CHECK_RET(aclrtMemcpy(a, LEN + SHIFT, src, LEN + SHIFT, ACL_MEMCPY_HOST_TO_DEVICE), ACL_SUCCESS);
	CHECK_RET(aclrtMemcpy((char *)a + SHIFT, LEN, a, LEN, ACL_MEMCPY_DEVICE_TO_DEVICE), ACL_SUCCESS);
	memcpy(want, src, LEN + SHIFT);
	memmove(want + SHIFT, want, LEN);
	TAP_CHECK(!memcmp(hbm_at(a), want, LEN + SHIFT), "overlapping D2D upwards acts as memmove");

	CHECK_RET(aclrtMemcpy(a, LEN + SHIFT, src, LEN + SHIFT, ACL_MEMCPY_HOST_TO_DEVICE), ACL_SUCCESS);
	CHECK_RET(aclrtMemcpy(a, LEN, (char *)a + SHIFT, LEN, ACL_MEMCPY_DEVICE_TO_DEVICE), ACL_SUCCESS);
	memcpy(want, src, LEN + SHIFT);
	memmove(want, want + SHIFT, LEN);
	TAP_CHECK(!memcmp(hbm_at(a), want, LEN + SHIFT), "overlapping D2D downwards acts as memmove");

	CHECK_RET(aclrtFree(a), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	free(src);
	free(want);
}

static void memset_(void)
{
	enum { LEN = 3 * MiB + 5 };
	unsigned char host[64];
	void *a = NULL;
	size_t i, bad = 0;

	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&a, LEN, ACL_MEM_MALLOC_NORMAL_ONLY), ACL_SUCCESS);
	memset(hbm_at(a), 0, LEN + 1);
	CHECK_RET(aclrtMemset(a, LEN, 0x1a5, LEN), ACL_SUCCESS);
	for (i = 0; i < LEN; i++)
		bad += hbm_at(a)[i] != 0xa5;
	TAP_CHECK(bad == 0 && hbm_at(a)[LEN] == 0,
		  "aclrtMemset fills exactly count bytes with the low byte of value");
	CHECK_RET(aclrtMemset((char *)a + 10, 5, 0x11, 5), ACL_SUCCESS);
	TAP_CHECK(hbm_at(a)[9] == 0xa5 && hbm_at(a)[10] == 0x11 && hbm_at(a)[14] == 0x11 &&
		  hbm_at(a)[15] == 0xa5, "at an interior address too");
	CHECK_RET_MSG(aclrtMemset(a, 4, 0, 5), ACL_ERROR_RT_PARAM_INVALID,
		      "count 5 is larger than maxCount 4");
	CHECK_RET(aclrtMemset(a, 2 * LEN, 0, 2 * LEN), ACL_ERROR_RT_PARAM_INVALID);
	CHECK_RET(aclrtMemset(NULL, 4, 0, 4), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtMemset(a, 0, 0, 0), ACL_SUCCESS);

	memset(host, 0, sizeof(host));
	CHECK_RET(aclrtMemset(host, sizeof(host), 0x7e, 32), ACL_SUCCESS);
	TAP_CHECK(host[0] == 0x7e && host[31] == 0x7e && host[32] == 0, "host memory is set directly");

	CHECK_RET(aclrtFree(a), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
}

static void dma_errors(void)
{
	unsigned char buf[4096];
	void *a = NULL;

	memset(buf, 1, sizeof(buf));
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&a, sizeof(buf), ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);

	hal_fake_fail_ioctl(0, VASCEND_IOCTL_DMA_XFER, EINTR, 5);
	CHECK_RET(aclrtMemcpy(a, sizeof(buf), buf, sizeof(buf), ACL_MEMCPY_HOST_TO_DEVICE), ACL_SUCCESS);
	TAP_CHECK(!memcmp(hbm_at(a), buf, sizeof(buf)), "interrupted DMAs are retried transparently");

	hal_fake_fail_ioctl(0, VASCEND_IOCTL_DMA_XFER, EIO, 1);
	CHECK_RET_MSG(aclrtMemcpy(a, sizeof(buf), buf, sizeof(buf), ACL_MEMCPY_HOST_TO_DEVICE),
		      ACL_ERROR_RT_SYS_DMA,
		      "aclrtMemcpy: DMA to device 0 failed: /dev/davinci0: VASCEND_IOCTL_DMA_XFER to "
		      "device, 4096 bytes at HBM offset 0x");
	hal_fake_fail_ioctl(0, VASCEND_IOCTL_DMA_XFER, EIO, 1);
	CHECK_RET_MSG(aclrtMemcpy(buf, sizeof(buf), a, sizeof(buf), ACL_MEMCPY_DEVICE_TO_HOST),
		      ACL_ERROR_RT_SYS_DMA, "Input/output error");
	hal_fake_fail_ioctl(0, VASCEND_IOCTL_DMA_XFER, ETIMEDOUT, 1);
	CHECK_RET_MSG(aclrtMemset(a, sizeof(buf), 0, sizeof(buf)), ACL_ERROR_RT_TIMEOUT,
		      "aclrtMemset: DMA to device 0 failed");
	hal_fake_fail_ioctl(0, VASCEND_IOCTL_DMA_XFER, ENODEV, 1);
	CHECK_RET(aclrtMemcpy(a, sizeof(buf), a, sizeof(buf), ACL_MEMCPY_DEVICE_TO_DEVICE),
		  ACL_ERROR_RT_NO_DEVICE);

	CHECK_RET(aclrtFree(a), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
}

static void reset_frees(void)
{
	size_t free_b = 0, total_b = 0;
	void *a = NULL;

	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&a, MiB, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	CHECK_RET_MSG(aclrtFree(a), ACL_ERROR_RT_MEMORY_FREE, "which is not set");
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtGetMemInfo(ACL_HBM_MEM, &free_b, &total_b), ACL_SUCCESS);
	TAP_CHECK(free_b == total_b, "resetting a device freed what was left on it");
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
}

int main(void)
{
	FAKE_CARDS(HBM_SIZE, 0, 1);
	if (aclInit(NULL))
		bail_out("aclInit failed");
	malloc_free();
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	copies();
	overlapping();
	memset_();
	dma_errors();
	reset_frees();
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
	TAP_CHECK(hal_fake_open_fds() == 0, "nothing left open");
	return tap_done();
}
