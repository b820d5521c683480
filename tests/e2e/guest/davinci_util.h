/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the guest-side stream tests (davinci_*.c): thin wrappers
 * over the raw ioctls of include/uapi/vascend_davinci.h that return 0 or
 * -errno, task builders, and device memory through /dev/devmm_svm when the
 * node exists.
 */
#ifndef VASCEND_E2E_DAVINCI_UTIL_H
#define VASCEND_E2E_DAVINCI_UTIL_H

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
#include "vascend_manager.h"
#include "vascend_queue_hw.h"
#include "vascend_svm.h"
#include "../../host/tap.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Write @val into a sysfs, debugfs or tracefs file (truncating, as the
 * shell's > does: tracefs's "trace" empties on that). 0 or -errno.
 */
static inline int dv_write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_TRUNC), r = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		r = -errno;
	else if ((size_t)n != strlen(val))
		r = -EIO;
	close(fd);
	return r;
}

static inline int dv_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static inline int dv_open(unsigned int card)
{
	char path[32];

	snprintf(path, sizeof(path), "/dev/davinci%u", card);
	return open(path, O_RDWR | O_CLOEXEC);
}

static inline int dv_stream_create(int fd, uint32_t depth, uint32_t *id)
{
	struct vascend_stream_create c = { .depth = depth };
	int ret = dv_ioctl(fd, VASCEND_IOCTL_STREAM_CREATE, &c);

	if (!ret && id)
		*id = c.stream_id;
	return ret;
}

static inline int dv_stream_ref(int fd, unsigned long cmd, uint32_t id)
{
	struct vascend_stream_ref r = { .stream_id = id };

	return dv_ioctl(fd, cmd, &r);
}

static inline int dv_submit(int fd, uint32_t id, const struct vascend_task *t,
			    uint32_t count, uint32_t flags, uint64_t *seq)
{
	struct vascend_submit s = {
		.stream_id = id,
		.count = count,
		.tasks = (uintptr_t)t,
		.flags = flags,
	};
	int ret = dv_ioctl(fd, VASCEND_IOCTL_SUBMIT, &s);

	if (!ret && seq)
		*seq = s.seq;
	return ret;
}

static inline int dv_wait(int fd, uint32_t id, uint64_t seq, uint32_t timeout_ms,
			  struct vascend_wait *out)
{
	struct vascend_wait w = { .stream_id = id, .seq = seq, .timeout_ms = timeout_ms };
	int ret = dv_ioctl(fd, VASCEND_IOCTL_WAIT, &w);

	if (out)
		*out = w;
	return ret;
}

static inline struct vascend_task dv_nop(void)
{
	struct vascend_task t = { .type = VASCEND_TASK_NOP };

	return t;
}

static inline struct vascend_task dv_memset(uint64_t dst, uint64_t len, uint8_t v)
{
	struct vascend_task t = { .type = VASCEND_TASK_MEMSET };

	t.u.memset.dst = dst;
	t.u.memset.len = len;
	t.u.memset.value = v;
	return t;
}

static inline struct vascend_task dv_memcpy(uint64_t dst, uint64_t src, uint64_t len)
{
	struct vascend_task t = { .type = VASCEND_TASK_MEMCPY };

	t.u.memcpy.src = src;
	t.u.memcpy.dst = dst;
	t.u.memcpy.len = len;
	return t;
}

static inline struct vascend_task dv_event(uint8_t type, uint64_t addr, uint64_t value)
{
	struct vascend_task t = { .type = type };

	t.u.event.addr = addr;
	t.u.event.value = value;
	return t;
}

static inline uint64_t dv_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- memory the card can reach (vascend_svm.h), when /dev/devmm_svm exists ---- */

struct dv_mem {
	int svm;		/* /dev/devmm_svm, or -1 */
	void *window;		/* the SVM window */
	size_t window_size;
};

/* Open /dev/devmm_svm and map a window. 0, or -errno (-ENOENT: no node). */
static inline int dv_mem_open(struct dv_mem *m, size_t window_size)
{
	m->svm = open("/dev/" VASCEND_SVM_DEV_NAME, O_RDWR | O_CLOEXEC);
	m->window = MAP_FAILED;
	m->window_size = window_size;
	if (m->svm < 0)
		return -errno;
	m->window = mmap(NULL, window_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 m->svm, 0);
	if (m->window == MAP_FAILED) {
		int err = -errno;

		close(m->svm);
		m->svm = -1;
		return err;
	}
	return 0;
}

/* Device memory: its VA in the window, or 0. */
static inline uint64_t dv_mem_alloc(struct dv_mem *m, unsigned int card, uint64_t size)
{
	struct vascend_svm_alloc a = {
		.dev_id = card,
		.flags = VASCEND_SVM_NORMAL_ONLY,
		.size = size,
	};

	if (dv_ioctl(m->svm, VASCEND_IOCTL_SVM_ALLOC, &a))
		return 0;
	return a.va;
}

/* Register host memory (4 KiB aligned, whole pages) for the card. */
static inline int dv_mem_register(struct dv_mem *m, unsigned int card, void *p, size_t size)
{
	struct vascend_svm_range r = {
		.dev_id = card,
		.addr = (uintptr_t)p,
		.size = size,
	};

	return dv_ioctl(m->svm, VASCEND_IOCTL_SVM_REGISTER, &r);
}

static inline void *dv_pages(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

#endif /* VASCEND_E2E_DAVINCI_UTIL_H */
