// SPDX-License-Identifier: MIT
/*
 * Which OS backend the HAL uses, and the single ioctl wrapper every device
 * request goes through.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascend_hal.h"
#include "hal_internal.h"
#include "hal_os.h"

static pthread_mutex_t os_lock = PTHREAD_MUTEX_INITIALIZER;	/* protects the three below */
static const struct hal_os_ops *os_current;
static bool os_selected;
static char os_error[160];

static void select_from_env_locked(void)
{
	const char *name = getenv(HAL_BACKEND_ENV);

	os_selected = true;
	os_error[0] = '\0';
	if (!name || !*name || !strcmp(name, hal_os_linux.name)) {
		os_current = &hal_os_linux;
	} else if (!strcmp(name, hal_os_fake.name)) {
		os_current = &hal_os_fake;
	} else {
		os_current = NULL;
		snprintf(os_error, sizeof(os_error),
			 "%s=%s names no backend (use \"%s\" or \"%s\")", HAL_BACKEND_ENV, name,
			 hal_os_linux.name, hal_os_fake.name);
	}
}

const struct hal_os_ops *hal_os(void)
{
	const struct hal_os_ops *ops;

	pthread_mutex_lock(&os_lock);
	if (!os_selected)
		select_from_env_locked();
	ops = os_current;
	pthread_mutex_unlock(&os_lock);
	return ops;
}

const char *hal_os_config_error(void)
{
	return os_error;
}

int hal_os_set(const struct hal_os_ops *ops)
{
	int ret = 0;

	pthread_mutex_lock(&os_lock);
	if (hal_dev_open_count() || hal_svm_in_use()) {
		ret = -EBUSY;
	} else {
		os_current = ops;
		os_selected = true;
		os_error[0] = '\0';
	}
	pthread_mutex_unlock(&os_lock);
	return ret;
}

int hal_os_reselect(void)
{
	int ret = 0;

	pthread_mutex_lock(&os_lock);
	if (hal_dev_open_count() || hal_svm_in_use())
		ret = -EBUSY;
	else
		select_from_env_locked();
	pthread_mutex_unlock(&os_lock);
	return ret;
}

int hal_ioctl(const struct hal_os_ops *os, int fd, unsigned long req, void *arg)
{
	int ret;

	do
		ret = os->ioctl(fd, req, arg);
	while (ret == -EINTR);
	return ret;
}

DLLEXPORT const char *halVascendBackend(void)
{
	const struct hal_os_ops *os = hal_os();

	return os ? os->name : NULL;
}
