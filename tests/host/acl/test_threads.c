// SPDX-License-Identifier: MIT
/*
 * Threads: each has its own current device and its own error message; many
 * threads allocate and copy on one device at once; set/reset counts stay
 * right under contention. Threads record results; only main prints TAP.
 */
#include <pthread.h>
#include <stdbool.h>

#include "acl_test.h"

#define NCARDS 8
#define CARD_HBM (16 * MiB)

static pthread_barrier_t barrier;

struct own_device {
	int32_t id;
	bool set_ok, get_ok, err_code_ok, own_msg_ok, data_ok, cleanup_ok;
	char msg[256];
};

/* Each thread: its own device, its own failure, its own data. */
static void *own_device_thread(void *arg)
{
	struct own_device *r = arg;
	enum { LEN = 256 * 1024 };
	unsigned char *src = malloc(LEN), *dst = malloc(LEN);
	char want[64];
	const char *m;
	void *p = NULL;
	int32_t got = -1;
	int i;

	for (i = 0; i < LEN; i++)
		src[i] = (unsigned char)(i ^ (r->id * 37));
	r->set_ok = aclrtSetDevice(r->id) == ACL_SUCCESS;
	pthread_barrier_wait(&barrier);	/* everyone has set a different device */
	r->get_ok = aclrtGetDevice(&got) == ACL_SUCCESS && got == r->id;

	r->err_code_ok = aclrtSetDevice(100 + r->id) == ACL_ERROR_RT_INVALID_DEVICEID;
	pthread_barrier_wait(&barrier);	/* everyone has failed differently */
	m = aclGetRecentErrMsg();
	snprintf(r->msg, sizeof(r->msg), "%s", m ? m : "(none)");
	snprintf(want, sizeof(want), "aclrtSetDevice: device id %d is out of range", 100 + r->id);
	r->own_msg_ok = m && strstr(m, want) == m;

	r->data_ok = aclrtMalloc(&p, LEN, ACL_MEM_MALLOC_HUGE_FIRST) == ACL_SUCCESS &&
		     hal_fake_dev_ptr((uint32_t)r->id, (uintptr_t)p, LEN, false) &&
		     aclrtMemcpy(p, LEN, src, LEN, ACL_MEMCPY_HOST_TO_DEVICE) == ACL_SUCCESS &&
		     !memcmp(hal_fake_dev_ptr((uint32_t)r->id, (uintptr_t)p, LEN, false), src, LEN) &&
		     aclrtMemcpy(dst, LEN, p, LEN, ACL_MEMCPY_DEVICE_TO_HOST) == ACL_SUCCESS &&
		     !memcmp(dst, src, LEN);
	r->cleanup_ok = aclrtFree(p) == ACL_SUCCESS && aclrtResetDevice(r->id) == ACL_SUCCESS;
	free(src);
	free(dst);
	return NULL;
}

static void *no_device_thread(void *arg)
{
	int32_t id;

	*(aclError *)arg = aclrtGetDevice(&id);
	return NULL;
}

static void one_device_per_thread(void)
{
	struct own_device r[NCARDS];
	pthread_t t[NCARDS], other;
	aclError other_ret = ACL_SUCCESS;
	int ok[6] = { 0 }, i;

	memset(r, 0, sizeof(r));
	pthread_barrier_init(&barrier, NULL, NCARDS);
	for (i = 0; i < NCARDS; i++) {
		r[i].id = i;
		pthread_create(&t[i], NULL, own_device_thread, &r[i]);
	}
	for (i = 0; i < NCARDS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&barrier);
	for (i = 0; i < NCARDS; i++) {
		ok[0] += r[i].set_ok;
		ok[1] += r[i].get_ok;
		ok[2] += r[i].err_code_ok;
		ok[3] += r[i].own_msg_ok;
		ok[4] += r[i].data_ok;
		ok[5] += r[i].cleanup_ok;
		if (!r[i].own_msg_ok)
			printf("# thread %d read: %s\n", i, r[i].msg);
	}
	TAP_CHECK(ok[0] == NCARDS, "%d threads set %d different devices at once (%d ok)", NCARDS,
		  NCARDS, ok[0]);
	TAP_CHECK(ok[1] == NCARDS, "each thread's current device is its own (%d ok)", ok[1]);
	TAP_CHECK(ok[2] == NCARDS, "each thread's failure returns the code (%d ok)", ok[2]);
	TAP_CHECK(ok[3] == NCARDS, "each thread reads its own message, not another's (%d ok)", ok[3]);
	TAP_CHECK(ok[4] == NCARDS, "each thread's data lands on its own card (%d ok)", ok[4]);
	TAP_CHECK(ok[5] == NCARDS, "each thread frees and resets (%d ok)", ok[5]);
	TAP_CHECK(hal_fake_open_fds() <= 1, "all cards closed again");

	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	pthread_create(&other, NULL, no_device_thread, &other_ret);
	pthread_join(other, NULL);
	TAP_CHECK(other_ret == ACL_ERROR_RT_CONTEXT_NULL,
		  "a thread that set no device has none, whatever main did (%d)", other_ret);
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
}

#define SHARERS 6
#define ROUNDS 150

static void *sharer_thread(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg * 7919u + 1;
	unsigned char src[8192], dst[8192];
	int failures = 0, round;

	if (aclrtSetDevice(0) != ACL_SUCCESS)
		return (void *)(intptr_t)ROUNDS;
	for (round = 0; round < ROUNDS; round++) {
		size_t len = (size_t)rand_r(&seed) % sizeof(src) + 1, i;
		void *p = NULL;

		for (i = 0; i < len; i++)
			src[i] = (unsigned char)rand_r(&seed);
		memset(dst, 0, len);
		if (aclrtMalloc(&p, len, ACL_MEM_MALLOC_NORMAL_ONLY) != ACL_SUCCESS ||
		    aclrtMemcpy(p, len, src, len, ACL_MEMCPY_HOST_TO_DEVICE) != ACL_SUCCESS ||
		    aclrtMemcpy(dst, len, p, len, ACL_MEMCPY_DEVICE_TO_HOST) != ACL_SUCCESS ||
		    memcmp(src, dst, len) || aclrtFree(p) != ACL_SUCCESS)
			failures++;
	}
	if (aclrtResetDevice(0) != ACL_SUCCESS)
		failures++;
	return (void *)(intptr_t)failures;
}

static void shared_device(void)
{
	size_t free_b = 0, total_b = 0;
	pthread_t t[SHARERS];
	intptr_t failures = 0;
	void *ret;
	int i;

	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);	/* keeps the device open throughout */
	for (i = 0; i < SHARERS; i++)
		pthread_create(&t[i], NULL, sharer_thread, (void *)(uintptr_t)i);
	for (i = 0; i < SHARERS; i++) {
		pthread_join(t[i], &ret);
		failures += (intptr_t)ret;
	}
	TAP_CHECK(failures == 0, "%d threads x %d malloc/copy/free rounds on one device: %ld failures",
		  SHARERS, ROUNDS, (long)failures);
	CHECK_RET(aclrtGetMemInfo(ACL_HBM_MEM, &free_b, &total_b), ACL_SUCCESS);
	TAP_CHECK(free_b == total_b, "no memory lost on the way");
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	TAP_CHECK(hal_fake_open_fds() <= 1, "the last reset closed the device");
}

static void *set_reset_thread(void *arg)
{
	int failures = 0, i;

	(void)arg;
	for (i = 0; i < 200; i++) {
		failures += aclrtSetDevice(1) != ACL_SUCCESS;
		failures += aclrtResetDevice(1) != ACL_SUCCESS;
	}
	return (void *)(intptr_t)failures;
}

static void set_reset_race(void)
{
	pthread_t t[8];
	intptr_t failures = 0;
	void *ret;
	int i;

	for (i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, set_reset_thread, NULL);
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], &ret);
		failures += (intptr_t)ret;
	}
	TAP_CHECK(failures == 0 && hal_fake_open_fds() <= 1,
		  "racing set/reset pairs balance out (%ld failures, %u fds open)", (long)failures,
		  hal_fake_open_fds());
}

int main(void)
{
	FAKE_CARDS(CARD_HBM, 0, 1, 2, 3, 4, 5, 6, 7);
	if (aclInit(NULL))
		bail_out("aclInit failed");
	one_device_per_thread();
	shared_device();
	set_reset_race();
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
	return tap_done();
}
