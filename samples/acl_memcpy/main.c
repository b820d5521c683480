// SPDX-License-Identifier: MIT
/*
 * acl_memcpy: moving data between the host and the card, synchronously and
 * on a stream, timed with the card's own clock.
 *
 * For each size it copies a pattern host -> device -> device -> host with
 * aclrtMemcpy, then again with aclrtMemcpyAsync on a stream, with events
 * recorded around each copy so aclrtEventElapsedTime says how long the card
 * spent on it, and finally fills device memory with aclrtMemsetAsync and
 * reads it back. Every byte is compared; the timings must be finite and not
 * negative, and an event recorded after the last task must be complete
 * once the stream is synchronised. Last line "RESULT: PASS" (exit 0) or
 * "RESULT: FAIL" (exit 1).
 */
#define _POSIX_C_SOURCE 200809L	/* clock_gettime */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "acl/acl.h"

#define ACL_CHECK(call)                                                              \
	do {                                                                         \
		aclError ret_ = (call);                                              \
		if (ret_ != ACL_SUCCESS) {                                           \
			const char *msg_ = aclGetRecentErrMsg();                     \
			fprintf(stderr, "%s:%d: %s failed: error %d%s%s\n", __FILE__, \
				__LINE__, #call, ret_, msg_ ? ": " : "", msg_ ? msg_ : ""); \
			return 0;                                                    \
		}                                                                    \
	} while (0)

static const size_t sizes[] = { 4096, 64 * 1024 + 5, 1024 * 1024, 8 * 1024 * 1024 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))
#define MAX_SIZE (8 * 1024 * 1024)

static const int32_t device_id = 0;

struct resource {
	aclrtStream stream;
	aclrtEvent ev[3];		/* start, after H2D, after D2H */
	unsigned char *host_src;	/* aclrtMallocHost */
	unsigned char *host_dst;
	void *dev_a;			/* aclrtMalloc */
	void *dev_b;
};

static struct resource res;

static int init_resource(void)
{
	int i;

	ACL_CHECK(aclInit(NULL));
	ACL_CHECK(aclrtSetDevice(device_id));
	ACL_CHECK(aclrtCreateStream(&res.stream));
	for (i = 0; i < 3; i++)
		ACL_CHECK(aclrtCreateEvent(&res.ev[i]));
	ACL_CHECK(aclrtMallocHost((void **)&res.host_src, MAX_SIZE));
	ACL_CHECK(aclrtMallocHost((void **)&res.host_dst, MAX_SIZE));
	ACL_CHECK(aclrtMalloc(&res.dev_a, MAX_SIZE, ACL_MEM_MALLOC_HUGE_FIRST));
	ACL_CHECK(aclrtMalloc(&res.dev_b, MAX_SIZE, ACL_MEM_MALLOC_NORMAL_ONLY));
	return 1;
}

/* Frees whatever init_resource got; returns 0 when a call failed. */
static int destroy_resource(void)
{
	int ok = 1, i;

	ok &= !res.dev_b || aclrtFree(res.dev_b) == ACL_SUCCESS;
	ok &= !res.dev_a || aclrtFree(res.dev_a) == ACL_SUCCESS;
	ok &= !res.host_dst || aclrtFreeHost(res.host_dst) == ACL_SUCCESS;
	ok &= !res.host_src || aclrtFreeHost(res.host_src) == ACL_SUCCESS;
	for (i = 0; i < 3; i++)
		ok &= !res.ev[i] || aclrtDestroyEvent(res.ev[i]) == ACL_SUCCESS;
	ok &= !res.stream || aclrtDestroyStream(res.stream) == ACL_SUCCESS;
	ok &= aclrtResetDevice(device_id) == ACL_SUCCESS;
	ok &= aclFinalize() == ACL_SUCCESS;
	if (!ok)
		fprintf(stderr, "releasing the resources failed\n");
	return ok;
}

/* A pattern that differs for every size and pass, so stale data cannot pass. */
static void fill(unsigned char *p, size_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (unsigned char)(x >> 16);
	}
}

static int same(const char *what, size_t size, const unsigned char *got, const unsigned char *want)
{
	size_t i;

	for (i = 0; i < size; i++) {
		if (got[i] != want[i]) {
			fprintf(stderr, "%s, %zu bytes: byte %zu is 0x%02x, expected 0x%02x\n", what,
				size, i, got[i], want[i]);
			return 0;
		}
	}
	return 1;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double mib_per_s(size_t bytes, double ms)
{
	return ms > 0 ? bytes / (1024.0 * 1024.0) / (ms / 1e3) : 0;
}

/* aclrtMemcpy: host -> a -> b -> host, timed on the host. */
static int copy_sync(size_t size, uint32_t seed)
{
	double t0, t1, t2, t3;

	fill(res.host_src, size, seed);
	memset(res.host_dst, 0, size);
	res.host_dst[0] = (unsigned char)~res.host_src[0];
	t0 = now_ms();
	ACL_CHECK(aclrtMemcpy(res.dev_a, MAX_SIZE, res.host_src, size, ACL_MEMCPY_HOST_TO_DEVICE));
	t1 = now_ms();
	ACL_CHECK(aclrtMemcpy(res.dev_b, MAX_SIZE, res.dev_a, size, ACL_MEMCPY_DEVICE_TO_DEVICE));
	t2 = now_ms();
	ACL_CHECK(aclrtMemcpy(res.host_dst, MAX_SIZE, res.dev_b, size, ACL_MEMCPY_DEVICE_TO_HOST));
	t3 = now_ms();
	if (!same("aclrtMemcpy H2D, D2D, D2H", size, res.host_dst, res.host_src))
		return 0;
	printf("  sync  %8zu bytes: H2D %8.3f ms, D2D %8.3f ms, D2H %8.3f ms (host clock)   PASS\n",
	       size, t1 - t0, t2 - t1, t3 - t2);
	return 1;
}

/* aclrtMemcpyAsync on the stream with events around each copy. */
static int copy_async(size_t size, uint32_t seed)
{
	aclrtEventRecordedStatus status = ACL_EVENT_RECORDED_STATUS_NOT_READY;
	float h2d_ms = -1, d2h_ms = -1;

	fill(res.host_src, size, seed);
	memset(res.host_dst, 0, size);
	res.host_dst[0] = (unsigned char)~res.host_src[0];
	ACL_CHECK(aclrtRecordEvent(res.ev[0], res.stream));
	ACL_CHECK(aclrtMemcpyAsync(res.dev_a, MAX_SIZE, res.host_src, size,
				   ACL_MEMCPY_HOST_TO_DEVICE, res.stream));
	ACL_CHECK(aclrtRecordEvent(res.ev[1], res.stream));
	ACL_CHECK(aclrtMemcpyAsync(res.host_dst, MAX_SIZE, res.dev_a, size,
				   ACL_MEMCPY_DEVICE_TO_HOST, res.stream));
	ACL_CHECK(aclrtRecordEvent(res.ev[2], res.stream));
	ACL_CHECK(aclrtSynchronizeStream(res.stream));

	ACL_CHECK(aclrtQueryEventStatus(res.ev[2], &status));
	if (status != ACL_EVENT_RECORDED_STATUS_COMPLETE) {
		fprintf(stderr, "the last event is not complete after aclrtSynchronizeStream\n");
		return 0;
	}
	ACL_CHECK(aclrtEventElapsedTime(&h2d_ms, res.ev[0], res.ev[1]));
	ACL_CHECK(aclrtEventElapsedTime(&d2h_ms, res.ev[1], res.ev[2]));
	if (!isfinite(h2d_ms) || !isfinite(d2h_ms) || h2d_ms < 0 || d2h_ms < 0) {
		fprintf(stderr, "event timings make no sense: H2D %f ms, D2H %f ms\n", h2d_ms,
			d2h_ms);
		return 0;
	}
	if (!same("aclrtMemcpyAsync H2D, D2H", size, res.host_dst, res.host_src))
		return 0;
	printf("  async %8zu bytes: H2D %8.3f ms (%8.1f MiB/s), D2H %8.3f ms (%8.1f MiB/s)   PASS\n",
	       size, h2d_ms, mib_per_s(size, h2d_ms), d2h_ms, mib_per_s(size, d2h_ms));
	return 1;
}

/* aclrtMemsetAsync of device memory, read back. */
static int fill_async(size_t size, unsigned char value)
{
	memset(res.host_src, value, size);
	memset(res.host_dst, (unsigned char)~value, size);
	ACL_CHECK(aclrtMemsetAsync(res.dev_b, MAX_SIZE, value, size, res.stream));
	ACL_CHECK(aclrtMemcpyAsync(res.host_dst, MAX_SIZE, res.dev_b, size,
				   ACL_MEMCPY_DEVICE_TO_HOST, res.stream));
	ACL_CHECK(aclrtSynchronizeStream(res.stream));
	if (!same("aclrtMemsetAsync", size, res.host_dst, res.host_src))
		return 0;
	printf("  memset %7zu bytes to 0x%02x   PASS\n", size, value);
	return 1;
}

int main(void)
{
	size_t i;
	int ok;

	ok = init_resource();
	if (ok) {
		printf("device %d: %s\n", (int)device_id, aclrtGetSocName());
		for (i = 0; i < NSIZES && ok; i++) {
			ok = copy_sync(sizes[i], (uint32_t)(2 * i)) &&
			     copy_async(sizes[i], (uint32_t)(2 * i + 1)) &&
			     fill_async(sizes[i], (unsigned char)(0x5a + i));
		}
	}
	if (!destroy_resource())
		ok = 0;
	printf("RESULT: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
