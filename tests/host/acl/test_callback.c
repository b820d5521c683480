// SPDX-License-Identifier: MIT
/*
 * Host callbacks on fake cards: aclrtSubscribeReport, aclrtLaunchCallback
 * (both block types), aclrtProcessReport in the calling thread and in a
 * report thread, aclrtUnSubscribeReport, CANN's codes for misuse, and the
 * report thread's timeout, which is recorded but not logged as an error
 * (a report thread polls with short timeouts for its whole life).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <unistd.h>

#include "acl_runtime.h"
#include "acl_test.h"

static atomic_int ran[8], n_ran;

static void record_cb(void *data)
{
	int slot = atomic_fetch_add(&n_ran, 1);

	if (slot < 8)
		atomic_store(&ran[slot], (int)(intptr_t)data);
}

static void write_cb(void *data)
{
	usleep(10000);	/* the stream's next task must still wait for this */
	memset(data, 0x6b, 4096);
	record_cb((void *)(intptr_t)9);
}

static atomic_bool stop;

static void *report_thread(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop))
		if (aclrtProcessReport(20) == ACL_ERROR_THREAD_NOT_SUBSCRIBE)
			usleep(1000);
	return NULL;
}

/* First, while nothing has been logged: a timeout is no logged error. */
static void timeout_not_logged(aclrtStream s)
{
	uint64_t me = (uint64_t)pthread_self();
	const char *m;

	TAP_CHECK(aclrtSubscribeReport(me, s) == ACL_SUCCESS, "subscribe this thread");
	TAP_CHECK(aclrtProcessReport(20) == ACL_ERROR_WAIT_CALLBACK_TIMEOUT,
		  "nothing launched: ACL_ERROR_WAIT_CALLBACK_TIMEOUT after 20 ms");
	m = take_msg();
	TAP_CHECK(str_is(m, "aclrtProcessReport: no callback within 20 ms"),
		  "the timeout is in aclGetRecentErrMsg: %s", m ? m : "(null)");
	TAP_CHECK(acl_log_file_path() == NULL,
		  "but not logged as an error: no log file was made (level ERROR)");
	TAP_CHECK(aclrtProcessReport(0) == ACL_ERROR_WAIT_CALLBACK_TIMEOUT, "timeout 0: a query");
	TAP_CHECK(aclrtUnSubscribeReport(me, s) == ACL_SUCCESS, "unsubscribe");
}

static void misuse(aclrtStream s)
{
	uint64_t me = (uint64_t)pthread_self();

	TAP_CHECK(aclrtProcessReport(10) == ACL_ERROR_THREAD_NOT_SUBSCRIBE,
		  "process without a subscription: ACL_ERROR_THREAD_NOT_SUBSCRIBE");
	TAP_CHECK(str_has(take_msg(), "not subscribed"), "the message says why");
	TAP_CHECK(aclrtLaunchCallback(record_cb, NULL, ACL_CALLBACK_NO_BLOCK, s) ==
		  ACL_ERROR_RT_STREAM_NO_CB_REG,
		  "launch on a stream nobody subscribed: ACL_ERROR_RT_STREAM_NO_CB_REG");
	TAP_CHECK(aclrtSubscribeReport(me, s) == ACL_SUCCESS, "subscribe");
	TAP_CHECK(aclrtSubscribeReport(me, s) == ACL_ERROR_REPEAT_SUBSCRIBE,
		  "subscribe the stream again: ACL_ERROR_REPEAT_SUBSCRIBE");
	TAP_CHECK(aclrtLaunchCallback(NULL, NULL, ACL_CALLBACK_NO_BLOCK, s) == ACL_ERROR_INVALID_PARAM,
		  "NULL fn: ACL_ERROR_INVALID_PARAM");
	TAP_CHECK(aclrtLaunchCallback(record_cb, NULL, (aclrtCallbackBlockType)7, s) ==
		  ACL_ERROR_INVALID_PARAM, "unknown block type: ACL_ERROR_INVALID_PARAM");
	TAP_CHECK(aclrtProcessReport(-2) == ACL_ERROR_INVALID_PARAM, "timeout -2: ACL_ERROR_INVALID_PARAM");
	TAP_CHECK(aclrtUnSubscribeReport(me + 1, s) == ACL_ERROR_STREAM_NOT_SUBSCRIBE,
		  "unsubscribe another thread: ACL_ERROR_STREAM_NOT_SUBSCRIBE");
	TAP_CHECK(aclrtUnSubscribeReport(me, s) == ACL_SUCCESS, "unsubscribe");
	TAP_CHECK(aclrtUnSubscribeReport(me, s) == ACL_ERROR_STREAM_NOT_SUBSCRIBE,
		  "unsubscribe twice: ACL_ERROR_STREAM_NOT_SUBSCRIBE");
}

/* The subscribed thread processes its own callbacks. */
static void same_thread(aclrtStream s)
{
	uint64_t me = (uint64_t)pthread_self();

	atomic_store(&n_ran, 0);
	aclrtSubscribeReport(me, s);
	TAP_CHECK(aclrtLaunchCallback(record_cb, (void *)1, ACL_CALLBACK_NO_BLOCK, s) == ACL_SUCCESS &&
		  aclrtLaunchCallback(record_cb, (void *)2, ACL_CALLBACK_NO_BLOCK, s) == ACL_SUCCESS,
		  "two non-blocking callbacks launched");
	TAP_CHECK(aclrtSynchronizeStream(s) == ACL_SUCCESS, "the stream finishes without them");
	TAP_CHECK(atomic_load(&n_ran) == 0, "nothing ran before aclrtProcessReport");
	TAP_CHECK(aclrtProcessReport(1000) == ACL_SUCCESS, "aclrtProcessReport runs what is ready");
	TAP_CHECK(atomic_load(&n_ran) == 2 && ran[0] == 1 && ran[1] == 2,
		  "both ran, in launch order, with their data (%d: %d %d)", atomic_load(&n_ran),
		  ran[0], ran[1]);
	aclrtUnSubscribeReport(me, s);
}

/* A report thread; a blocking callback holds the stream's later tasks back. */
static void report_thread_blocking(aclrtStream s)
{
	uint8_t out[4096];
	pthread_t t;
	void *pin = NULL, *dev = NULL;

	atomic_store(&n_ran, 0);
	atomic_store(&stop, false);
	if (aclrtMallocHost(&pin, 4096) || aclrtMalloc(&dev, 4096, ACL_MEM_MALLOC_HUGE_FIRST) ||
	    pthread_create(&t, NULL, report_thread, NULL))
		bail_out("setting up the report thread");
	memset(pin, 0, 4096);
	memset(out, 0, sizeof(out));
	TAP_CHECK(aclrtSubscribeReport((uint64_t)t, s) == ACL_SUCCESS, "subscribe the report thread");
	TAP_CHECK(aclrtLaunchCallback(record_cb, (void *)3, ACL_CALLBACK_BLOCK, s) == ACL_SUCCESS &&
		  aclrtLaunchCallback(write_cb, pin, ACL_CALLBACK_BLOCK, s) == ACL_SUCCESS,
		  "two blocking callbacks launched");
	TAP_CHECK(aclrtMemcpyAsync(dev, 4096, pin, 4096, ACL_MEMCPY_HOST_TO_DEVICE, s) == ACL_SUCCESS &&
		  aclrtMemcpyAsync(out, 4096, dev, 4096, ACL_MEMCPY_DEVICE_TO_HOST, s) == ACL_SUCCESS,
		  "then a copy of what the second writes");
	TAP_CHECK(aclrtSynchronizeStream(s) == ACL_SUCCESS, "the stream completes");
	TAP_CHECK(atomic_load(&n_ran) == 2 && ran[0] == 3 && ran[1] == 9,
		  "both callbacks ran on the report thread, in order");
	TAP_CHECK(out[0] == 0x6b && out[4095] == 0x6b,
		  "the copy after the blocking callback saw what it wrote");
	TAP_CHECK(aclrtUnSubscribeReport((uint64_t)t, s) == ACL_SUCCESS, "unsubscribe it");
	atomic_store(&stop, true);
	pthread_join(t, NULL);
	aclrtFreeHost(pin);
	aclrtFree(dev);
}

int main(void)
{
	aclrtStream s = NULL;

	/* errors only: the timeout check looks for a log file */
	setenv("ASCEND_GLOBAL_LOG_LEVEL", "3", 1);
	FAKE_CARDS(16 * MiB, 0);
	if (aclInit(NULL) || aclrtSetDevice(0) || aclrtCreateStream(&s))
		bail_out("aclInit / aclrtSetDevice / aclrtCreateStream");
	timeout_not_logged(s);
	misuse(s);
	same_thread(s);
	report_thread_blocking(s);
	TAP_CHECK(aclrtDestroyStream(s) == ACL_SUCCESS && aclrtResetDevice(0) == ACL_SUCCESS &&
		  aclFinalize() == ACL_SUCCESS, "clean up");
	return tap_done();
}
