// SPDX-License-Identifier: MIT
/*
 * acl_memcpy_bench: runs in the VM. Copies 64 MiB host -> device and device
 * -> host with aclrtMemcpy, and 64 MiB host -> host with memcpy as the
 * reference, in the same process; prints one BENCH line per direction:
 *
 *   BENCH name=dma_h2d_64m value=<MB/s> unit=MB/s ref=memcpy ratio=<acl/memcpy>
 *
 * Each figure is the best of several runs (the first run also faults the
 * pages in). Exits non-zero if a copy fails or the data comes back wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "acl/acl.h"

#define SIZE (64u << 20)
#define RUNS 5

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int check(aclError e, const char *what)
{
	if (e != ACL_SUCCESS) {
		fprintf(stderr, "%s failed: %d: %s\n", what, e, aclGetRecentErrMsg());
		return -1;
	}
	return 0;
}

int main(void)
{
	unsigned char *a = malloc(SIZE), *b = malloc(SIZE);
	double best_ref = 1e9, best_h2d = 1e9, best_d2h = 1e9, t;
	void *dev = NULL, *pin = NULL;
	int i, rc = 1;

	if (!a || !b)
		return 1;
	for (i = 0; i < (int)SIZE; i++)
		a[i] = (unsigned char)(i * 7 + 3);
	memset(b, 0, SIZE);
	if (check(aclInit(NULL), "aclInit") || check(aclrtSetDevice(0), "aclrtSetDevice") ||
	    check(aclrtMalloc(&dev, SIZE, ACL_MEM_MALLOC_HUGE_FIRST), "aclrtMalloc"))
		goto out;

	for (i = 0; i < RUNS; i++) {
		t = now_s();
		memcpy(b, a, SIZE);
		t = now_s() - t;
		if (t < best_ref)
			best_ref = t;
	}
	memset(b, 0, SIZE);
	for (i = 0; i < RUNS; i++) {
		t = now_s();
		if (check(aclrtMemcpy(dev, SIZE, a, SIZE, ACL_MEMCPY_HOST_TO_DEVICE), "H2D"))
			goto out;
		t = now_s() - t;
		if (t < best_h2d)
			best_h2d = t;
		t = now_s();
		if (check(aclrtMemcpy(b, SIZE, dev, SIZE, ACL_MEMCPY_DEVICE_TO_HOST), "D2H"))
			goto out;
		t = now_s() - t;
		if (t < best_d2h)
			best_d2h = t;
	}
	if (memcmp(a, b, SIZE)) {
		fprintf(stderr, "data came back different\n");
		goto out;
	}
	printf("BENCH name=dma_h2d_64m value=%.1f unit=MB/s ref=memcpy ratio=%.3f\n",
	       SIZE / best_h2d / 1e6, best_ref / best_h2d);
	printf("BENCH name=dma_d2h_64m value=%.1f unit=MB/s ref=memcpy ratio=%.3f\n",
	       SIZE / best_d2h / 1e6, best_ref / best_d2h);
	printf("# reference: guest memcpy of 64 MiB at %.1f MB/s\n", SIZE / best_ref / 1e6);
	/* the same copies from aclrtMallocHost memory (pinned once: no per-copy pinning) */
	if (check(aclrtMallocHost(&pin, SIZE), "aclrtMallocHost"))
		goto out;
	memcpy(pin, a, SIZE);
	best_h2d = best_d2h = 1e9;
	for (i = 0; i < RUNS; i++) {
		t = now_s();
		if (check(aclrtMemcpy(dev, SIZE, pin, SIZE, ACL_MEMCPY_HOST_TO_DEVICE), "pinned H2D"))
			goto out;
		t = now_s() - t;
		if (t < best_h2d)
			best_h2d = t;
		t = now_s();
		if (check(aclrtMemcpy(pin, SIZE, dev, SIZE, ACL_MEMCPY_DEVICE_TO_HOST), "pinned D2H"))
			goto out;
		t = now_s() - t;
		if (t < best_d2h)
			best_d2h = t;
	}
	if (memcmp(a, pin, SIZE)) {
		fprintf(stderr, "data came back different (pinned)\n");
		goto out;
	}
	printf("# from aclrtMallocHost memory: H2D %.1f MB/s, D2H %.1f MB/s\n",
	       SIZE / best_h2d / 1e6, SIZE / best_d2h / 1e6);
	rc = 0;
out:
	if (pin)
		aclrtFreeHost(pin);
	if (dev)
		aclrtFree(dev);
	aclrtResetDevice(0);
	aclFinalize();
	free(a);
	free(b);
	return rc;
}
