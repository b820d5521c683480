// SPDX-License-Identifier: MIT
/*
 * The real OS backend: device nodes under /dev, plain system calls.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hal_os.h"

#define DEV_DIR		"/dev"
#define NODE_PREFIX	"davinci"

/* N from "davinciN" (decimal, no sign, no leading zero), or -1. */
static long parse_node_name(const char *name)
{
	size_t plen = strlen(NODE_PREFIX);
	const char *digits = name + plen;
	char *end;
	long n;

	if (strncmp(name, NODE_PREFIX, plen) || *digits < '0' || *digits > '9')
		return -1;
	if (digits[0] == '0' && digits[1] != '\0')
		return -1;
	errno = 0;
	n = strtol(digits, &end, 10);
	if (*end || errno)
		return -1;
	return n;
}

static int linux_scan(uint32_t *ids, uint32_t max)
{
	struct dirent *de;
	uint32_t count = 0;
	DIR *dir;

	dir = opendir(DEV_DIR);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		long n = parse_node_name(de->d_name);
		uint32_t i;

		if (n < 0 || n >= (long)max)
			continue;
		/* insertion keeps the list ascending; max is small */
		for (i = count; i > 0 && ids[i - 1] > (uint32_t)n; i--)
			ids[i] = ids[i - 1];
		ids[i] = (uint32_t)n;
		count++;
	}
	closedir(dir);
	return (int)count;
}

static int linux_open(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int linux_close(int fd)
{
	/* Never retried: on Linux the fd is gone even when close reports EINTR. */
	return close(fd) ? -errno : 0;
}

static int linux_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static int linux_mmap(int fd, uint64_t len, void **addr)
{
	void *p = mmap(NULL, len, PROT_NONE, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	*addr = p;
	return 0;
}

static int linux_munmap(void *addr, uint64_t len)
{
	return munmap(addr, len) ? -errno : 0;
}

static long linux_read(int fd, void *buf, size_t len)
{
	ssize_t n = read(fd, buf, len);

	return n < 0 ? -errno : (long)n;
}

static long linux_write(int fd, const void *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	return n < 0 ? -errno : (long)n;
}

const struct hal_os_ops hal_os_linux = {
	.name = "linux",
	.scan = linux_scan,
	.open = linux_open,
	.close = linux_close,
	.ioctl = linux_ioctl,
	.mmap = linux_mmap,
	.munmap = linux_munmap,
	.read = linux_read,
	.write = linux_write,
};
