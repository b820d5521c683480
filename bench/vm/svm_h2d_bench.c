// SPDX-License-Identifier: MIT
/*
 * svm_h2d_bench: 64 MiB host-to-device copies through the card's own MEMCPY
 * task, from host memory registered once (pinned) against host memory
 * registered and unregistered around every copy (pageable: what a runtime
 * must do with memory it did not allocate). Best of several, in one VM.
 *
 *	BENCH name=h2d_pinned_vs_pageable value=<MB/s pinned> unit=MB/s
 *	      ref=pageable ratio=<pinned / pageable>
 *
 * Also the SUBMIT ioctl of one NOP task (median of many, each waited for)
 * before the copies and after them, with the pinned 64 MiB still
 * registered: submitting must not cost more for what the copies left.
 *
 *	BENCH name=submit_after_copy value=<us after> unit=us
 *	      ref=submit_before_copy ratio=<before / after>
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vascend_davinci.h"
#include "vascend_svm.h"

#define SIZE	(64u << 20)
#define ROUNDS	5
#define SUBMITS	500

static int svm, dv;
static uint32_t stream;

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int reg(void *p, int on)
{
	struct vascend_svm_range r = { .addr = (uintptr_t)p, .size = on ? SIZE : 0 };

	return xioctl(svm, on ? VASCEND_IOCTL_SVM_REGISTER :
		      VASCEND_IOCTL_SVM_UNREGISTER, &r);
}

/* One MEMCPY task of SIZE bytes, waited for. */
static int copy(uint64_t dst, const void *src)
{
	struct vascend_task t = { .type = VASCEND_TASK_MEMCPY,
				  .flags = VASCEND_TASK_F_IRQ_NOW };
	struct vascend_submit s = { .stream_id = stream, .count = 1,
				    .tasks = (uintptr_t)&t };
	struct vascend_wait w = { .stream_id = stream,
				  .timeout_ms = VASCEND_WAIT_FOREVER };
	int ret;

	t.u.memcpy.src = (uintptr_t)src;
	t.u.memcpy.dst = dst;
	t.u.memcpy.len = SIZE;
	ret = xioctl(dv, VASCEND_IOCTL_SUBMIT, &s);
	if (ret)
		return ret;
	w.seq = s.seq;
	ret = xioctl(dv, VASCEND_IOCTL_WAIT, &w);
	return ret ? ret : (w.status ? -EIO : 0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median time of the SUBMIT ioctl of one NOP task, in us; < 0: it failed. */
static double submit_median(void)
{
	static double t[SUBMITS];
	struct vascend_task nop = { .type = VASCEND_TASK_NOP,
				    .flags = VASCEND_TASK_F_IRQ_NOW };
	struct vascend_submit s = { .stream_id = stream, .count = 1,
				    .tasks = (uintptr_t)&nop };
	struct vascend_wait w = { .stream_id = stream,
				  .timeout_ms = VASCEND_WAIT_FOREVER };
	double t0;
	int i;

	for (i = 0; i < SUBMITS; i++) {
		t0 = now();
		if (xioctl(dv, VASCEND_IOCTL_SUBMIT, &s))
			return -1;
		t[i] = (now() - t0) * 1e6;
		w.seq = s.seq;
		if (xioctl(dv, VASCEND_IOCTL_WAIT, &w) || w.status)
			return -1;
	}
	qsort(t, SUBMITS, sizeof(t[0]), cmp_double);
	return t[SUBMITS / 2];
}

int main(void)
{
	struct vascend_stream_create sc = { 0 };
	struct vascend_svm_alloc a = { .flags = VASCEND_SVM_HUGE_FIRST, .size = SIZE };
	double best_pinned = 1e9, best_pageable = 1e9, t0, t, sub_before, sub_after;
	uint8_t *pinned, *pageable;
	int i;

	svm = open("/dev/" VASCEND_SVM_DEV_NAME, O_RDWR);
	dv = open("/dev/davinci0", O_RDWR);
	if (svm < 0 || dv < 0 ||
	    mmap(NULL, 2 * SIZE, PROT_NONE, MAP_SHARED, svm, 0) == MAP_FAILED ||
	    xioctl(svm, VASCEND_IOCTL_SVM_ALLOC, &a) ||
	    xioctl(dv, VASCEND_IOCTL_STREAM_CREATE, &sc)) {
		fprintf(stderr, "svm_h2d_bench: setup failed: %s\n", strerror(errno));
		return 1;
	}
	stream = sc.stream_id;
	pinned = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	pageable = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (pinned == MAP_FAILED || pageable == MAP_FAILED)
		return 1;
	memset(pinned, 0x11, SIZE);
	memset(pageable, 0x22, SIZE);

	sub_before = submit_median();
	if (sub_before < 0) {
		fprintf(stderr, "svm_h2d_bench: NOP submit failed\n");
		return 1;
	}
	if (reg(pinned, 1)) {
		fprintf(stderr, "svm_h2d_bench: REGISTER failed\n");
		return 1;
	}
	for (i = 0; i < ROUNDS; i++) {
		t0 = now();
		if (copy(a.va, pinned))
			return 1;
		t = now() - t0;
		best_pinned = t < best_pinned ? t : best_pinned;

		t0 = now();
		if (reg(pageable, 1) || copy(a.va, pageable) || reg(pageable, 0))
			return 1;
		t = now() - t0;
		best_pageable = t < best_pageable ? t : best_pageable;
	}
	sub_after = submit_median();
	if (sub_after < 0) {
		fprintf(stderr, "svm_h2d_bench: NOP submit after the copies failed\n");
		return 1;
	}
	printf("# 64 MiB H2D MEMCPY task: pinned once %.1f ms, register+copy+unregister %.1f ms (best of %d)\n",
	       best_pinned * 1e3, best_pageable * 1e3, ROUNDS);
	printf("BENCH name=h2d_pinned_vs_pageable value=%.1f unit=MB/s ref=pageable ratio=%.2f\n",
	       SIZE / best_pinned / 1e6, best_pageable / best_pinned);
	printf("# SUBMIT of one NOP (median of %d): %.1f us before the copies, %.1f us after\n",
	       SUBMITS, sub_before, sub_after);
	printf("BENCH name=submit_after_copy value=%.1f unit=us ref=submit_before_copy ratio=%.2f\n",
	       sub_after, sub_before / sub_after);
	return 0;
}
