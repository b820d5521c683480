// SPDX-License-Identifier: MIT
/*
 * aclGetRecentErrMsg: exact texts naming each layer, read-once semantics,
 * and the log lines ASCEND_SLOG_PRINT_TO_STDOUT / ASCEND_GLOBAL_LOG_LEVEL
 * turn on.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "acl_test.h"
#include "vascend_davinci.h"
#include "vascend_queue_hw.h"

static void messages(void)
{
	const char *m;
	void *p = NULL;
	char buf[16];

	TAP_CHECK(aclGetRecentErrMsg() == NULL, "no failure yet: NULL");
	CHECK_RET(aclrtSetDevice(3), ACL_ERROR_RT_INVALID_DEVICEID);
	m = aclGetRecentErrMsg();
	TAP_CHECK(str_is(m, "aclrtSetDevice: device 3 not found: HAL: /dev/davinci3: No such file "
			    "or directory (driver errno ENOENT)"),
		  "the runtime names the API, the HAL the node and errno: %s", m ? m : "NULL");
	TAP_CHECK(aclGetRecentErrMsg() == NULL, "reading the message consumes it");

	CHECK_RET(aclrtSetDevice(3), ACL_ERROR_RT_INVALID_DEVICEID);
	CHECK_RET(aclrtGetDevice(NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	m = aclGetRecentErrMsg();
	TAP_CHECK(str_is(m, "aclrtGetDevice: deviceId is NULL"),
		  "the latest failure wins, and a success does not clear it: %s", m ? m : "NULL");

	CHECK_RET(aclrtMalloc(&p, 64, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	hal_fake_fail_ioctl(0, VASCEND_IOCTL_SUBMIT, EFAULT, 1);
	CHECK_RET(aclrtMemcpy(buf, sizeof(buf), p, sizeof(buf), ACL_MEMCPY_DEVICE_TO_HOST),
		  ACL_ERROR_RT_PARAM_INVALID);
	m = take_msg();
	TAP_CHECK(str_has(m, "aclrtMemcpy: submitting 1 tasks to stream ") &&
		  str_has(m, "of device 0: HAL: /dev/davinci0: VASCEND_IOCTL_SUBMIT of 1 tasks") &&
		  str_has(m, ": Bad address (driver errno EFAULT)"),
		  "a driver failure carries the whole chain: %s", m ? m : "NULL");
	hal_fake_fail_task(0, VASCEND_TASK_MEMCPY, VASCEND_CQE_STATUS_MMU_FAULT, 0x1234, 1);
	CHECK_RET(aclrtMemcpy(buf, sizeof(buf), p, sizeof(buf), ACL_MEMCPY_DEVICE_TO_HOST),
		  ACL_ERROR_RT_SYS_DMA);
	m = take_msg();
	TAP_CHECK(str_has(m, "aclrtMemcpy: task ") && str_has(m, "(MEMCPY) on stream ") &&
		  str_has(m, "failed: device status MMU_FAULT") && str_has(m, "at 0x1234"),
		  "a device failure names the task, the status and the address: %s",
		  m ? m : "NULL");
	CHECK_RET(aclrtFree(p), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
}

/* Run @fn with stderr going to a file; return what it printed (static). */
static const char *capture_stderr(void (*fn)(void))
{
	static char out[4096];
	char path[] = "/tmp/vascend-acl-stderr-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	ssize_t n;

	if (fd < 0 || saved < 0)
		bail_out("cannot capture stderr");
	fflush(stderr);
	dup2(fd, 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, out, sizeof(out) - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return out;
}

static void fail_and_work(void)
{
	aclInit(NULL);	/* aclInit reads the logging variables */
	aclrtSetDevice(7);
	aclrtSetDevice(0);
	aclrtResetDevice(0);
	aclFinalize();
}

static void logging(void)
{
	const char *out;

	aclFinalize();
	unsetenv("ASCEND_SLOG_PRINT_TO_STDOUT");
	unsetenv("ASCEND_GLOBAL_LOG_LEVEL");
	out = capture_stderr(fail_and_work);
	TAP_CHECK(out[0] == '\0', "by default nothing is printed");

	setenv("ASCEND_SLOG_PRINT_TO_STDOUT", "1", 1);
	out = capture_stderr(fail_and_work);
	TAP_CHECK(str_has(out, "[ERROR] ASCENDCL(") &&
		  str_has(out, "aclrtSetDevice: device 7 not found: HAL: /dev/davinci7: No such file or "
			       "directory (driver errno ENOENT)\n"),
		  "ASCEND_SLOG_PRINT_TO_STDOUT=1 prints errors");
	TAP_CHECK(!str_has(out, "[INFO]"), "but not info lines at the default level");

	setenv("ASCEND_GLOBAL_LOG_LEVEL", "1", 1);
	out = capture_stderr(fail_and_work);
	TAP_CHECK(str_has(out, "[INFO] ASCENDCL(") && str_has(out, "device 0 opened"),
		  "ASCEND_GLOBAL_LOG_LEVEL=1 adds info lines");

	setenv("ASCEND_GLOBAL_LOG_LEVEL", "4", 1);
	out = capture_stderr(fail_and_work);
	TAP_CHECK(out[0] == '\0', "ASCEND_GLOBAL_LOG_LEVEL=4 silences everything");

	unsetenv("ASCEND_SLOG_PRINT_TO_STDOUT");
	unsetenv("ASCEND_GLOBAL_LOG_LEVEL");
	setenv("ASCEND_LOG_PRINT_TO_STDOUT", "1", 1);
	out = capture_stderr(fail_and_work);
	TAP_CHECK(str_has(out, "device 7 not found"), "ASCEND_LOG_PRINT_TO_STDOUT=1 works too");
	unsetenv("ASCEND_LOG_PRINT_TO_STDOUT");
	aclGetRecentErrMsg();
}

int main(void)
{
	FAKE_CARDS(MiB, 0);
	if (aclInit(NULL))
		bail_out("aclInit failed");
	messages();
	logging();
	return tap_done();
}
