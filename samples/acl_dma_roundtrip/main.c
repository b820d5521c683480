// SPDX-License-Identifier: MIT
/*
 * acl_dma_roundtrip: copy data to each Ascend device and back, and check
 * every byte survived.
 *
 * Plain AscendCL, nothing vascend-specific: it builds unchanged against
 * CANN's headers and runs on a real card too. For every device it prints
 * the SoC and its memory, then for sizes from 1 byte to 8 MiB it copies a
 * random pattern host -> device -> host and compares. The last line is
 * "RESULT: PASS" or "RESULT: FAIL"; the exit status is 0 only for PASS.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "acl/acl.h"

static const size_t sizes[] = {
	1,			/* smallest possible transfer */
	4 * 1024 + 3,		/* crosses a page, odd tail */
	1024 * 1024 + 7,	/* large, odd tail */
	8 * 1024 * 1024,	/* the largest buffer */
};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))
#define MAX_SIZE (8 * 1024 * 1024)

/* Report a failed call with its code and AscendCL's reason. */
static int failed(const char *call, aclError ret)
{
	const char *msg = aclGetRecentErrMsg();

	fprintf(stderr, "%s failed: error %d%s%s\n", call, ret, msg ? ": " : "", msg ? msg : "");
	return 0;
}

#define CHECK(call)                                  \
	do {                                         \
		aclError ret_ = (call);              \
		if (ret_ != ACL_SUCCESS)             \
			return failed(#call, ret_);  \
	} while (0)

/* xorshift64: a pattern that differs for every size and device */
static void fill_random(unsigned char *buf, size_t n, uint64_t seed)
{
	uint64_t x = seed | 1;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (unsigned char)x;
	}
}

/* One size on the current device; returns 1 when the data came back intact. */
static int roundtrip(int32_t dev, size_t size, unsigned char *src, unsigned char *dst)
{
	void *buf = NULL;
	aclError ret;
	int ok;

	fill_random(src, size, 0x9e3779b97f4a7c15ull ^ ((uint64_t)dev << 40) ^ size);
	memset(dst, 0xa5, size);
	dst[0] = (unsigned char)~src[0];	/* a copy that does nothing cannot pass */

	CHECK(aclrtMalloc(&buf, size, ACL_MEM_MALLOC_HUGE_FIRST));
	ret = aclrtMemcpy(buf, size, src, size, ACL_MEMCPY_HOST_TO_DEVICE);
	if (ret != ACL_SUCCESS) {
		failed("aclrtMemcpy(ACL_MEMCPY_HOST_TO_DEVICE)", ret);
	} else {
		ret = aclrtMemcpy(dst, size, buf, size, ACL_MEMCPY_DEVICE_TO_HOST);
		if (ret != ACL_SUCCESS)
			failed("aclrtMemcpy(ACL_MEMCPY_DEVICE_TO_HOST)", ret);
	}
	ok = ret == ACL_SUCCESS && memcmp(src, dst, size) == 0;
	CHECK(aclrtFree(buf));
	return ok;
}

/* Every size on device @dev; returns how many passed. */
static int test_device(int32_t dev)
{
	unsigned char *src = NULL, *dst = NULL;
	size_t free_mem = 0, total_mem = 0, i;
	const char *soc;
	int passed = 0;

	CHECK(aclrtSetDevice(dev));
	soc = aclrtGetSocName();
	CHECK(aclrtGetMemInfo(ACL_HBM_MEM, &free_mem, &total_mem));
	printf("device %d: SoC %s, HBM %zu MiB total, %zu MiB free\n", dev, soc ? soc : "(unknown)",
	       total_mem >> 20, free_mem >> 20);

	CHECK(aclrtMallocHost((void **)&src, MAX_SIZE));
	CHECK(aclrtMallocHost((void **)&dst, MAX_SIZE));
	for (i = 0; i < NSIZES; i++) {
		int ok = roundtrip(dev, sizes[i], src, dst);

		printf("device %d: %8zu bytes host->device->host: %s\n", dev, sizes[i],
		       ok ? "PASS" : "FAIL");
		passed += ok;
	}
	CHECK(aclrtFreeHost(src));
	CHECK(aclrtFreeHost(dst));
	CHECK(aclrtResetDevice(dev));
	return passed;
}

/* Returns 1 when every round trip on every device passed. */
static int run(void)
{
	int32_t major = 0, minor = 0, patch = 0;
	int passed = 0, total = 0;
	uint32_t count = 0, dev;

	CHECK(aclrtGetVersion(&major, &minor, &patch));
	printf("AscendCL interface %d.%d.%d\n", major, minor, patch);
	CHECK(aclrtGetDeviceCount(&count));
	printf("%" PRIu32 " device(s)\n", count);

	for (dev = 0; dev < count; dev++) {
		passed += test_device((int32_t)dev);
		total += (int)NSIZES;
	}
	printf("%d of %d round trips intact\n", passed, total);
	return passed == total;
}

int main(void)
{
	aclError ret;
	int ok;

	ret = aclInit(NULL);
	if (ret != ACL_SUCCESS) {
		failed("aclInit(NULL)", ret);
		return 1;
	}
	ok = run();
	ret = aclFinalize();
	if (ret != ACL_SUCCESS)
		ok = failed("aclFinalize()", ret);
	printf("RESULT: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
