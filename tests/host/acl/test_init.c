// SPDX-License-Identifier: MIT
/*
 * aclInit / aclFinalize: the state machine, the configuration file, what
 * works before aclInit and what does not, and what aclFinalize releases.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "acl_test.h"

static void before_init(void)
{
	int32_t major = -1, minor = -1, patch = -1, dev;
	aclrtRunMode mode = ACL_DEVICE;
	void *p = NULL;
	uint32_t n;
	char c;

	CHECK_RET_MSG(aclrtSetDevice(0), ACL_ERROR_UNINITIALIZE,
		      "aclrtSetDevice: AscendCL is not initialized; call aclInit first");
	CHECK_RET(aclrtGetDeviceCount(&n), ACL_ERROR_UNINITIALIZE);
	CHECK_RET(aclrtGetDevice(&dev), ACL_ERROR_UNINITIALIZE);
	CHECK_RET(aclrtResetDevice(0), ACL_ERROR_UNINITIALIZE);
	CHECK_RET(aclrtMalloc(&p, 16, ACL_MEM_MALLOC_HUGE_FIRST), ACL_ERROR_UNINITIALIZE);
	CHECK_RET(aclrtMallocHost(&p, 16), ACL_ERROR_UNINITIALIZE);
	CHECK_RET(aclrtMemcpy(&c, 1, "x", 1, ACL_MEMCPY_HOST_TO_HOST), ACL_ERROR_UNINITIALIZE);
	CHECK_RET(aclrtMemset(&c, 1, 0, 1), ACL_ERROR_UNINITIALIZE);
	TAP_CHECK(aclrtGetSocName() == NULL, "aclrtGetSocName is NULL before aclInit");
	CHECK_RET_MSG(aclFinalize(), ACL_ERROR_UNINITIALIZE, "aclFinalize: AscendCL is not initialized");

	CHECK_RET(aclrtGetVersion(&major, &minor, &patch), ACL_SUCCESS);
	TAP_CHECK(major == ACL_MAJOR_VERSION && minor == ACL_MINOR_VERSION &&
		  patch == ACL_PATCH_VERSION, "the version needs no aclInit: %d.%d.%d", major, minor,
		  patch);
	CHECK_RET(aclrtGetVersion(NULL, &minor, &patch), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclrtGetRunMode(&mode), ACL_SUCCESS);
	TAP_CHECK(mode == ACL_HOST, "the run mode is ACL_HOST");
	CHECK_RET(aclrtGetRunMode(NULL), ACL_ERROR_INVALID_PARAM);
}

static void config_file(void)
{
	char path[] = "/tmp/vascend-acl-config-XXXXXX";
	uint32_t n;
	int fd;

	CHECK_RET_MSG(aclInit("/nonexistent/acl.json"), ACL_ERROR_INVALID_FILE,
		      "aclInit: cannot read config file /nonexistent/acl.json: No such file or directory");
	CHECK_RET(aclrtGetDeviceCount(&n), ACL_ERROR_UNINITIALIZE);
	CHECK_RET_MSG(aclInit("/"), ACL_ERROR_INVALID_FILE, "config file / is not a regular file");

	fd = mkstemp(path);
	if (fd < 0 || write(fd, "{}\n", 3) != 3)
		bail_out("cannot write a temporary config file");
	close(fd);
	CHECK_RET(aclInit(path), ACL_SUCCESS);
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
	unlink(path);
	CHECK_RET(aclInit(""), ACL_SUCCESS);
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
}

static void state_machine(void)
{
	uint32_t n = 0;

	CHECK_RET(aclInit(NULL), ACL_SUCCESS);
	CHECK_RET_MSG(aclInit(NULL), ACL_ERROR_REPEAT_INITIALIZE, "aclInit: already initialized");
	CHECK_RET(aclrtGetDeviceCount(&n), ACL_SUCCESS);
	TAP_CHECK(n == 1, "initialized: one device (%u)", n);
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
	CHECK_RET_MSG(aclFinalize(), ACL_ERROR_REPEAT_FINALIZE, "aclFinalize: already finalized");
	CHECK_RET(aclrtGetDeviceCount(&n), ACL_ERROR_UNINITIALIZE);
	CHECK_RET(aclInit(NULL), ACL_SUCCESS);
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
}

static void finalize_releases(void)
{
	void *dev = NULL, *host = NULL;
	size_t free_b = 0, total_b = 0;
	int32_t id = -1;

	CHECK_RET(aclInit(NULL), ACL_SUCCESS);
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtMalloc(&dev, 4096, ACL_MEM_MALLOC_HUGE_FIRST), ACL_SUCCESS);
	CHECK_RET(aclrtMallocHost(&host, 4096), ACL_SUCCESS);
	TAP_CHECK(hal_fake_open_fds() == 2, "the device (and /dev/devmm_svm) is open");
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
	TAP_CHECK(hal_fake_open_fds() == 0, "aclFinalize closes it (and frees host memory: ASan checks)");

	CHECK_RET(aclInit(NULL), ACL_SUCCESS);
	CHECK_RET_MSG(aclrtGetDevice(&id), ACL_ERROR_RT_CONTEXT_NULL, "no current context");
	CHECK_RET_MSG(aclrtFree(dev), ACL_ERROR_RT_MEMORY_FREE, "its device was reset");
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtGetMemInfo(ACL_HBM_MEM, &free_b, &total_b), ACL_SUCCESS);
	TAP_CHECK(free_b == total_b && total_b == 8 * MiB, "a fresh device has all its memory free");
	CHECK_RET_MSG(aclrtFree(dev), ACL_ERROR_RT_MEMORY_FREE, "freed already");
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
}

static pthread_barrier_t start;

static void *init_racer(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&start);
	return (void *)(intptr_t)aclInit(NULL);
}

static void concurrent_init(void)
{
	enum { N = 8 };
	pthread_t t[N];
	int ok = 0, repeat = 0, i;
	void *ret;

	pthread_barrier_init(&start, NULL, N);
	for (i = 0; i < N; i++)
		pthread_create(&t[i], NULL, init_racer, NULL);
	for (i = 0; i < N; i++) {
		pthread_join(t[i], &ret);
		ok += (intptr_t)ret == ACL_SUCCESS;
		repeat += (intptr_t)ret == ACL_ERROR_REPEAT_INITIALIZE;
	}
	pthread_barrier_destroy(&start);
	TAP_CHECK(ok == 1 && repeat == N - 1, "%d racing aclInit calls: one wins (%d), the rest repeat (%d)",
		  N, ok, repeat);
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
}

int main(void)
{
	FAKE_CARDS(8 * MiB, 0);
	before_init();
	config_file();
	state_machine();
	finalize_releases();
	concurrent_init();
	return tap_done();
}
