// SPDX-License-Identifier: MIT
/*
 * Device and host memory, copies and fills on fake cards: every memcpy
 * kind and path (pinned, pinned on the fly, staged), the checks and codes
 * of every misuse, the asynchronous variants, and device failures.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acl_test.h"
#include "vascend_queue_hw.h"

#define HBM_SIZE (64u * MiB)

/* Device memory as the fake card holds it. */
static uint8_t *dev_bytes(const void *p, size_t len)
{
	int32_t dev;

	if (aclrtGetDevice(&dev))
		dev = 0;
	return hal_fake_dev_ptr((uint32_t)dev, (uintptr_t)p, len, false);
}

static void fill(uint8_t *b, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(i * 31 + seed);
}

static void malloc_free(void)
{
	size_t free_b, total, free_after;
	void *p[4] = { NULL }, *q = NULL;

	CHECK_RET(aclrtMalloc(NULL, 16, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtMalloc(&p[0], 0, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtGetMemInfo(ACL_HBM_MEM, &free_b, &total), ACL_SUCCESS);
	TAP_CHECK(total == HBM_SIZE && free_b == HBM_SIZE, "GetMemInfo: %zu of %zu free", free_b,
		  total);
	CHECK_RET(aclrtMalloc(&p[0], 100, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&p[1], 3u << 20, ACL_MEM_MALLOC_HUGE_ONLY), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&p[2], 5000, ACL_MEM_MALLOC_NORMAL_ONLY), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&p[3], 4096, (aclrtMemMallocPolicy)0x77), ACL_SUCCESS);
	TAP_CHECK(((uintptr_t)p[1] & ((2u << 20) - 1)) == 0, "HUGE_ONLY memory is 2 MiB aligned");
	TAP_CHECK(dev_bytes(p[0], 100) && dev_bytes(p[0], 100)[99] == 0, "device memory is zeroed");
	CHECK_RET(aclrtGetMemInfo(ACL_HBM_MEM, &free_after, &total), ACL_SUCCESS);
	TAP_CHECK(free_after < free_b, "allocations lower the free figure (%zu)", free_after);
	CHECK_RET(aclrtGetMemInfo(ACL_DDR_MEM, &free_b, &total), ACL_SUCCESS);
	TAP_CHECK(free_b == 0 && total == 0, "the card has no DDR");
	CHECK_RET(aclrtGetMemInfo((aclrtMemAttr)99, &free_b, &total), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtGetMemInfo(ACL_HBM_MEM, NULL, &total), ACL_ERROR_INVALID_PARAM);
	CHECK_RET_MSG(aclrtMalloc(&q, HBM_SIZE * 2, ACL_MEM_MALLOC_HUGE_FIRST),
		      ACL_ERROR_RT_MEMORY_ALLOCATION, "out of device memory");

	CHECK_RET(aclrtFree(NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET_MSG(aclrtFree((uint8_t *)p[1] + 8), ACL_ERROR_RT_MEMORY_FREE, "not its start");
	CHECK_RET(aclrtFree(&free_b), ACL_ERROR_RT_MEMORY_FREE);
	CHECK_RET(aclrtFree(p[0]), ACL_SUCCESS);
	CHECK_RET_MSG(aclrtFree(p[0]), ACL_ERROR_RT_MEMORY_FREE, "freed already");
	CHECK_RET(aclrtFree(p[1]), ACL_SUCCESS);
	CHECK_RET(aclrtFree(p[2]), ACL_SUCCESS);
	CHECK_RET(aclrtFree(p[3]), ACL_SUCCESS);

	CHECK_RET(aclrtMallocHost(NULL, 10), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtMallocHost(&p[0], 0), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtMallocHost(&p[0], 10000), ACL_SUCCESS);
	memset(p[0], 1, 10000);	/* plain host memory */
	CHECK_RET(aclrtMalloc(&p[1], 64, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	CHECK_RET_MSG(aclrtFree(p[0]), ACL_ERROR_RT_MEMORY_FREE, "use aclrtFreeHost");
	CHECK_RET_MSG(aclrtFreeHost(p[1]), ACL_ERROR_RT_MEMORY_FREE, "use aclrtFree");
	CHECK_RET(aclrtFreeHost(NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtFreeHost(p[0]), ACL_SUCCESS);
	CHECK_RET(aclrtFreeHost(p[0]), ACL_ERROR_RT_MEMORY_FREE);
	CHECK_RET(aclrtFree(p[1]), ACL_SUCCESS);
}

/* H2D then D2H of @n bytes from @src through every path, checked on the card and back. */
static void roundtrip(const char *what, uint8_t *src, uint8_t *back, size_t n)
{
	void *d = NULL;

	CHECK_RET(aclrtMalloc(&d, n, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	fill(src, n, (unsigned int)n);
	memset(back, 0, n);
	CHECK_RET(aclrtMemcpy(d, n, src, n, ACL_MEMCPY_HOST_TO_DEVICE), ACL_SUCCESS);
	TAP_CHECK(dev_bytes(d, n) && !memcmp(dev_bytes(d, n), src, n), "%s: H2D of %zu bytes", what,
		  n);
	CHECK_RET(aclrtMemcpy(back, n, d, n, ACL_MEMCPY_DEVICE_TO_HOST), ACL_SUCCESS);
	TAP_CHECK(!memcmp(back, src, n), "%s: D2H of %zu bytes", what, n);
	aclrtFree(d);
}

static void copies(void)
{
	size_t big = 9u << 20, n = 4096;
	uint8_t *src = malloc(big + 7), *back = malloc(big + 7), *pin, *pin2;
	void *a = NULL, *b = NULL;
	size_t i;

	roundtrip("staged (small, pageable)", src + 3, back + 5, 1000);
	roundtrip("pinned on the fly (large, unaligned)", src + 3, back + 5, big);
	roundtrip("staged across several bounce halves", src, back, 5u << 20 | 17);
	CHECK_RET(aclrtMallocHost((void **)&pin, big), ACL_SUCCESS);
	CHECK_RET(aclrtMallocHost((void **)&pin2, big), ACL_SUCCESS);
	roundtrip("aclrtMallocHost memory", pin, pin2, big);

	CHECK_RET(aclrtMalloc(&a, n, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&b, n, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	fill(src, n, 7);
	CHECK_RET(aclrtMemcpy(a, n, src, n, ACL_MEMCPY_DEFAULT), ACL_SUCCESS);
	TAP_CHECK(!memcmp(dev_bytes(a, n), src, n), "ACL_MEMCPY_DEFAULT infers H2D");
	CHECK_RET(aclrtMemcpy(b, n, a, n, ACL_MEMCPY_DEVICE_TO_DEVICE), ACL_SUCCESS);
	TAP_CHECK(!memcmp(dev_bytes(b, n), src, n), "D2D on the card");
	CHECK_RET(aclrtMemcpy(b, n, a, n, ACL_MEMCPY_INNER_DEVICE_TO_DEVICE), ACL_SUCCESS);
	CHECK_RET(aclrtMemcpy(a, n, src, n, ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE), ACL_SUCCESS);
	CHECK_RET(aclrtMemcpy(back, n, src, n, ACL_MEMCPY_HOST_TO_HOST), ACL_SUCCESS);
	TAP_CHECK(!memcmp(back, src, n), "H2H is a memmove");
	CHECK_RET(aclrtMemcpy((uint8_t *)a + 100, n - 100, "interior", 9, ACL_MEMCPY_HOST_TO_DEVICE),
		  ACL_SUCCESS);
	TAP_CHECK(!memcmp(dev_bytes(a, n) + 100, "interior", 9), "an interior pointer works");

	/* overlapping D2D behaves as memmove, both ways */
	fill(src, n, 1);
	aclrtMemcpy(a, n, src, n, ACL_MEMCPY_HOST_TO_DEVICE);
	CHECK_RET(aclrtMemcpy((uint8_t *)a + 10, n - 10, a, 1000, ACL_MEMCPY_DEVICE_TO_DEVICE),
		  ACL_SUCCESS);
	memmove(src + 10, src, 1000);
	TAP_CHECK(!memcmp(dev_bytes(a, n), src, n), "overlapping D2D upwards acts as memmove");
	CHECK_RET(aclrtMemcpy(a, n, (uint8_t *)a + 10, 1000, ACL_MEMCPY_DEVICE_TO_DEVICE), ACL_SUCCESS);
	memmove(src, src + 10, 1000);
	TAP_CHECK(!memcmp(dev_bytes(a, n), src, n), "overlapping D2D downwards acts as memmove");

	/* misuse */
	CHECK_RET(aclrtMemcpy(NULL, n, src, n, ACL_MEMCPY_HOST_TO_DEVICE), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtMemcpy(a, n, NULL, n, ACL_MEMCPY_HOST_TO_DEVICE), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtMemcpy(a, n, src, 0, ACL_MEMCPY_HOST_TO_DEVICE), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtMemcpy(a, n, src, n, (aclrtMemcpyKind)42), ACL_ERROR_INVALID_PARAM);
	CHECK_RET_MSG(aclrtMemcpy(a, n - 1, src, n, ACL_MEMCPY_HOST_TO_DEVICE),
		      ACL_ERROR_RT_PARAM_INVALID, "larger than destMax");
	CHECK_RET_MSG(aclrtMemcpy(a, n, src, n, ACL_MEMCPY_DEVICE_TO_HOST), ACL_ERROR_RT_PARAM_INVALID,
		      "src is host memory");
	CHECK_RET_MSG(aclrtMemcpy(back, n, src, n, ACL_MEMCPY_DEVICE_TO_DEVICE),
		      ACL_ERROR_RT_PARAM_INVALID, "copies device to device");
	CHECK_RET_MSG(aclrtMemcpy(a, 2 * n, src, 2 * n, ACL_MEMCPY_HOST_TO_DEVICE),
		      ACL_ERROR_RT_PARAM_INVALID, "runs past the end of its allocation");

	/* fills */
	CHECK_RET(aclrtMemset(a, n, 0x1a5, 1000), ACL_SUCCESS);
	for (i = 0; i < 1000 && dev_bytes(a, n)[i] == 0xa5; i++)
		;
	TAP_CHECK(i == 1000 && dev_bytes(a, n)[1000] != 0xa5, "memset fills the low byte, no more");
	CHECK_RET(aclrtMemset(back, n, 7, n), ACL_SUCCESS);
	TAP_CHECK(back[0] == 7 && back[n - 1] == 7, "memset of host memory");
	CHECK_RET(aclrtMemset(NULL, n, 0, n), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtMemset(a, n, 0, 0), ACL_ERROR_INVALID_PARAM);
	CHECK_RET_MSG(aclrtMemset(a, 10, 0, 11), ACL_ERROR_RT_PARAM_INVALID, "larger than maxCount");

	aclrtFree(a);
	aclrtFree(b);
	aclrtFreeHost(pin);
	aclrtFreeHost(pin2);
	free(src);
	free(back);
}

static void async(void)
{
	size_t n = 300000;
	uint8_t *src = malloc(n), *back = malloc(n), *pin = NULL;
	aclrtStream s = NULL;
	void *d = NULL;

	CHECK_RET(aclrtCreateStream(&s), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&d, n, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	fill(src, n, 3);
	memset(back, 0, n);
	CHECK_RET(aclrtMemcpyAsync(d, n, src, n, ACL_MEMCPY_HOST_TO_DEVICE, s), ACL_SUCCESS);
	CHECK_RET(aclrtMemcpyAsync(back, n, d, 1000, ACL_MEMCPY_DEVICE_TO_HOST, s), ACL_SUCCESS);
	CHECK_RET(aclrtMemsetAsync((uint8_t *)d + 10, n, 0x33, 5, s), ACL_SUCCESS);
	CHECK_RET(aclrtMemcpyAsync(back + 1000, n, d, 100, ACL_MEMCPY_DEVICE_TO_HOST, s), ACL_SUCCESS);
	CHECK_RET(aclrtSynchronizeStream(s), ACL_SUCCESS);
	TAP_CHECK(!memcmp(back, src, 1000), "async H2D then staged D2H, in order");
	TAP_CHECK(back[1010] == 0x33 && back[1015] == src[15], "async memset in order between them");
	CHECK_RET(aclrtMallocHost((void **)&pin, n), ACL_SUCCESS);
	CHECK_RET(aclrtMemcpyAsync(pin, n, d, n, ACL_MEMCPY_DEVICE_TO_HOST, NULL), ACL_SUCCESS);
	CHECK_RET(aclrtSynchronizeStream(NULL), ACL_SUCCESS);
	TAP_CHECK(pin[n - 1] == src[n - 1], "async D2H into pinned memory on the default stream");
	CHECK_RET(aclrtMemcpyAsync(d, n, src, n, ACL_MEMCPY_HOST_TO_DEVICE, (aclrtStream)src),
		  ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtMemcpyAsync(d, n - 1, src, n, ACL_MEMCPY_HOST_TO_DEVICE, s),
		  ACL_ERROR_RT_PARAM_INVALID);
	CHECK_RET(aclrtMemsetAsync(NULL, n, 0, n, s), ACL_ERROR_INVALID_PARAM);

	/* a task the card fails: reported at synchronize, the stream usable again */
	hal_fake_fail_task(0, VASCEND_TASK_MEMCPY, VASCEND_CQE_STATUS_DMA_ERROR, 0, 1);
	CHECK_RET(aclrtMemcpyAsync(d, n, pin, n, ACL_MEMCPY_HOST_TO_DEVICE, s), ACL_SUCCESS);
	CHECK_RET_MSG(aclrtSynchronizeStream(s), ACL_ERROR_RT_SYS_DMA, "device status DMA_ERROR");
	CHECK_RET(aclrtMemcpyAsync(d, n, pin, n, ACL_MEMCPY_HOST_TO_DEVICE, s), ACL_SUCCESS);
	CHECK_RET(aclrtSynchronizeStream(s), ACL_SUCCESS);
	hal_fake_fail_task(0, VASCEND_TASK_MEMSET, VASCEND_CQE_STATUS_ABORTED, 0, 1);
	CHECK_RET_MSG(aclrtMemset(d, n, 0, n), ACL_ERROR_RT_DEVICE_TASK_ABORT, "ABORTED");
	hal_fake_fail_task(0, VASCEND_TASK_MEMCPY, VASCEND_CQE_STATUS_ECC_ERROR, 0, 1);
	CHECK_RET(aclrtMemcpy(back, n, d, n, ACL_MEMCPY_DEVICE_TO_HOST),
		  ACL_ERROR_RT_HBM_MULTI_BIT_ECC_ERROR);

	CHECK_RET(aclrtDestroyStream(s), ACL_SUCCESS);
	aclrtFree(d);
	aclrtFreeHost(pin);
	free(src);
	free(back);
}

static void two_cards(void)
{
	size_t n = 5000;
	uint8_t src[5000], back[5000];
	void *a = NULL, *b = NULL;

	CHECK_RET(aclrtMalloc(&a, n, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	CHECK_RET(aclrtSetDevice(1), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&b, n, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	fill(src, n, 9);
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtMemcpy(a, n, src, n, ACL_MEMCPY_HOST_TO_DEVICE), ACL_SUCCESS);
	CHECK_RET(aclrtMemcpy(b, n, a, n, ACL_MEMCPY_INTER_DEVICE_TO_DEVICE), ACL_SUCCESS);
	CHECK_RET_MSG(aclrtMemcpy(b, n, a, n, ACL_MEMCPY_INNER_DEVICE_TO_DEVICE),
		      ACL_ERROR_RT_PARAM_INVALID, "between device 0 and device 1");
	CHECK_RET(aclrtMemcpy(back, n, b, n, ACL_MEMCPY_DEVICE_TO_HOST), ACL_SUCCESS);
	TAP_CHECK(!memcmp(back, src, n), "between two cards through the host");
	TAP_CHECK(hal_fake_dev_ptr(1, (uintptr_t)b, n, false) &&
		  !memcmp(hal_fake_dev_ptr(1, (uintptr_t)b, n, false), src, n),
		  "the bytes are on card 1");
	CHECK_RET(aclrtFree(b), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(1), ACL_SUCCESS);
	aclrtFree(a);
}

int main(void)
{
	void *p;

	FAKE_CARDS(HBM_SIZE, 0, 1);
	CHECK_RET(aclrtMalloc(&p, 16, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_UNINITIALIZE);
	CHECK_RET(aclrtMemcpy(&p, 8, &p, 8, ACL_MEMCPY_HOST_TO_HOST), ACL_ERROR_UNINITIALIZE);
	CHECK_RET(aclrtMallocHost(&p, 16), ACL_ERROR_UNINITIALIZE);
	CHECK_RET(aclInit(NULL), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&p, 16, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_RT_CONTEXT_NULL);
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	malloc_free();
	copies();
	async();
	two_cards();
	CHECK_RET(aclrtMalloc(&p, 16, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);	/* set twice: still open */
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);	/* the last reset frees its memory */
	CHECK_RET_MSG(aclrtFree(p), ACL_ERROR_RT_MEMORY_FREE, "device was reset");
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
	TAP_CHECK(hal_fake_open_fds() == 0, "aclFinalize closed every node");
	return tap_done();
}
