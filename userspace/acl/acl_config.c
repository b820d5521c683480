// SPDX-License-Identifier: MIT
/*
 * aclInit's configuration file.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acl_config.h"
#include "acl_error.h"

aclError acl_config_load(const char *path)
{
	struct stat st;
	int fd;

	if (!path || !*path)
		return ACL_SUCCESS;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return acl_fail(ACL_ERROR_INVALID_FILE, "aclInit", "cannot read config file %s: %s",
				path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return acl_fail(ACL_ERROR_INVALID_FILE, "aclInit",
				"config file %s is not a regular file", path);
	}
	close(fd);
	return ACL_SUCCESS;
}
