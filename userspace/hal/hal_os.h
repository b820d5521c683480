/* SPDX-License-Identifier: MIT */
/*
 * The OS interface of libascend_hal: every system call the HAL makes on a
 * device goes through one of these function tables. hal_os_linux talks to
 * the kernel driver; hal_os_fake is an in-memory card so the layers above
 * are unit-tested without a kernel (see hal_fake.h).
 *
 * Functions return 0 (or an fd, or a count) on success and -errno on
 * failure, never setting errno, in the liburing style.
 */
#ifndef VASCEND_HAL_OS_H
#define VASCEND_HAL_OS_H

#include <stddef.h>
#include <stdint.h>

struct hal_os_ops {
	const char *name;
	/*
	 * Fill @ids with N of every /dev/davinciN with N below @max, ascending;
	 * returns how many.
	 */
	int (*scan)(uint32_t *ids, uint32_t max);
	/* Open a device node read-write, close-on-exec; returns the fd. */
	int (*open)(const char *path);
	int (*close)(int fd);
	/* One ioctl attempt; may return -EINTR (hal_ioctl retries). */
	int (*ioctl)(int fd, unsigned long req, void *arg);
	/* mmap(NULL, @len, PROT_NONE, MAP_SHARED, @fd, 0): the SVM window. */
	int (*mmap)(int fd, uint64_t len, void **addr);
	int (*munmap)(void *addr, uint64_t len);
	/* One read()/write() (HDC messages): bytes moved, or -errno. */
	long (*read)(int fd, void *buf, size_t len);
	long (*write)(int fd, const void *buf, size_t len);
};

extern const struct hal_os_ops hal_os_linux;
extern const struct hal_os_ops hal_os_fake;

/* Environment variable that picks the backend: "linux" (default) or "fake". */
#define HAL_BACKEND_ENV "VASCEND_HAL_BACKEND"

/*
 * The backend in use, picked from HAL_BACKEND_ENV on first use. NULL when
 * that variable names no backend; hal_os_config_error() says why.
 */
const struct hal_os_ops *hal_os(void);
const char *hal_os_config_error(void);

/*
 * Test hooks, not exported: switch to @ops, or pick again from the
 * environment. Both fail with -EBUSY while any device is open.
 */
int hal_os_set(const struct hal_os_ops *ops);
int hal_os_reselect(void);

/* The one ioctl wrapper: retries while interrupted by a signal. */
int hal_ioctl(const struct hal_os_ops *os, int fd, unsigned long req, void *arg);

#endif /* VASCEND_HAL_OS_H */
