// SPDX-License-Identifier: MIT
/*
 * acl_callback: host functions on a stream. A worker thread subscribes to
 * the stream's reports (aclrtSubscribeReport) and serves them with
 * aclrtProcessReport, as CANN's samples do; the main thread queues, for
 * each of several buffers, an asynchronous copy to the card and back
 * followed by a callback (aclrtLaunchCallback) that checks the data the
 * copies just brought back.
 *
 * It checks that every callback ran exactly once, on the subscribed
 * thread, in the order launched, after the copies queued before it (its
 * data is there); that a blocking callback holds the stream back (a copy
 * queued after it has not happened while it runs); and that the stream
 * synchronises once the last blocking callback returned. Last line
 * "RESULT: PASS" (exit 0) or "RESULT: FAIL" (exit 1).
 */
#define _POSIX_C_SOURCE 200809L	/* pthreads */

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "acl/acl.h"

#define ACL_CHECK(call)                                                              \
	do {                                                                         \
		aclError ret_ = (call);                                              \
		if (ret_ != ACL_SUCCESS) {                                           \
			const char *msg_ = aclGetRecentErrMsg();                     \
			fprintf(stderr, "%s:%d: %s failed: error %d%s%s\n", __FILE__, \
				__LINE__, #call, ret_, msg_ ? ": " : "", msg_ ? msg_ : ""); \
			return 0;                                                    \
		}                                                                    \
	} while (0)

#define NITEMS 8
#define ITEM_SIZE (64 * 1024)
#define REPORT_TIMEOUT_MS 1000

static const int32_t device_id = 0;

/* What one callback is told, and what it found. */
struct item {
	int index;
	const unsigned char *host_out;	/* where the copy back lands */
	unsigned char expect;		/* every byte of host_out */
	const unsigned char *later;	/* written by the copy queued after this callback */
	unsigned char later_old;	/* what it holds until then */
	int runs;			/* how often the callback ran */
	int order;			/* the how-manyth callback it was */
	int on_worker;			/* it ran on the subscribed thread */
	int data_ok;			/* host_out was complete */
	int held;			/* the later copy had not run yet */
};

static struct {
	aclrtContext context;
	aclrtStream stream;
	pthread_t worker;
	int worker_started;
	pthread_mutex_t lock;		/* protects the two below */
	pthread_cond_t cond;
	int worker_go;			/* the stream is subscribed: start serving */
	int worker_exit;		/* stop serving */
	unsigned char *host_in;		/* aclrtMallocHost, NITEMS * ITEM_SIZE */
	unsigned char *host_out;
	void *dev;			/* aclrtMalloc, NITEMS * ITEM_SIZE */
	int callbacks_run;		/* written only by the callbacks, on the worker */
	struct item items[NITEMS];
} res;

/*
 * The worker: serve the stream's callbacks until all NITEMS ran, or until
 * told to stop (the main thread failed). aclrtProcessReport returns once it
 * ran what was ready, or fails after REPORT_TIMEOUT_MS without a callback.
 */
static void *process_reports(void *arg)
{
	int stop;

	(void)arg;
	if (aclrtSetCurrentContext(res.context) != ACL_SUCCESS) {
		fprintf(stderr, "worker: aclrtSetCurrentContext failed\n");
		return NULL;
	}
	/* aclrtProcessReport fails in a thread no stream is subscribed to yet */
	pthread_mutex_lock(&res.lock);
	while (!res.worker_go && !res.worker_exit)
		pthread_cond_wait(&res.cond, &res.lock);
	pthread_mutex_unlock(&res.lock);
	do {
		/* a timeout only means nothing was pending yet */
		(void)aclrtProcessReport(REPORT_TIMEOUT_MS);
		pthread_mutex_lock(&res.lock);
		stop = res.worker_exit;
		pthread_mutex_unlock(&res.lock);
	} while (!stop && res.callbacks_run < NITEMS);
	return NULL;
}

static void tell_worker(int *flag)
{
	pthread_mutex_lock(&res.lock);
	*flag = 1;
	pthread_cond_signal(&res.cond);
	pthread_mutex_unlock(&res.lock);
}

static void check_item(void *user_data)
{
	struct item *it = user_data;
	int i;

	it->runs++;
	it->order = res.callbacks_run++;
	it->on_worker = pthread_equal(pthread_self(), res.worker);
	it->data_ok = 1;
	for (i = 0; i < ITEM_SIZE; i++) {
		if (it->host_out[i] != it->expect) {
			it->data_ok = 0;
			break;
		}
	}
	it->held = !it->later || *it->later == it->later_old;
}

static int init_resource(void)
{
	ACL_CHECK(aclInit(NULL));
	ACL_CHECK(aclrtSetDevice(device_id));
	ACL_CHECK(aclrtCreateContext(&res.context, device_id));
	ACL_CHECK(aclrtCreateStream(&res.stream));
	ACL_CHECK(aclrtMallocHost((void **)&res.host_in, NITEMS * ITEM_SIZE));
	ACL_CHECK(aclrtMallocHost((void **)&res.host_out, NITEMS * ITEM_SIZE));
	ACL_CHECK(aclrtMalloc(&res.dev, NITEMS * ITEM_SIZE, ACL_MEM_MALLOC_HUGE_FIRST));
	if (pthread_create(&res.worker, NULL, process_reports, NULL) != 0) {
		fprintf(stderr, "cannot start the report thread\n");
		return 0;
	}
	res.worker_started = 1;
	ACL_CHECK(aclrtSubscribeReport((uint64_t)res.worker, res.stream));
	tell_worker(&res.worker_go);
	return 1;
}

static int destroy_resource(void)
{
	int ok = 1;

	if (res.worker_started) {
		/* stop serving first: a thread no longer subscribed cannot serve */
		tell_worker(&res.worker_exit);
		pthread_join(res.worker, NULL);
		if (res.worker_go)
			ok &= aclrtUnSubscribeReport((uint64_t)res.worker, res.stream) == ACL_SUCCESS;
	}
	ok &= !res.dev || aclrtFree(res.dev) == ACL_SUCCESS;
	ok &= !res.host_out || aclrtFreeHost(res.host_out) == ACL_SUCCESS;
	ok &= !res.host_in || aclrtFreeHost(res.host_in) == ACL_SUCCESS;
	ok &= !res.stream || aclrtDestroyStream(res.stream) == ACL_SUCCESS;
	ok &= !res.context || aclrtDestroyContext(res.context) == ACL_SUCCESS;
	ok &= aclrtResetDevice(device_id) == ACL_SUCCESS;
	ok &= aclFinalize() == ACL_SUCCESS;
	if (!ok)
		fprintf(stderr, "releasing the resources failed\n");
	return ok;
}

/* Queue copy-in, copy-out and a callback per item; all but one block the stream. */
static int queue_work(void)
{
	int i;

	memset(res.host_out, 0, NITEMS * ITEM_SIZE);
	for (i = 0; i < NITEMS; i++) {
		struct item *it = &res.items[i];
		size_t off = (size_t)i * ITEM_SIZE;
		unsigned char *dev = (unsigned char *)res.dev + off;
		aclrtCallbackBlockType block = i == 3 ? ACL_CALLBACK_NO_BLOCK : ACL_CALLBACK_BLOCK;

		memset(it, 0, sizeof(*it));
		it->index = i;
		it->host_out = res.host_out + off;
		it->expect = (unsigned char)(0x31 + 17 * i);
		/* a blocking callback must see the next item's output still untouched */
		if (block == ACL_CALLBACK_BLOCK && i + 1 < NITEMS) {
			it->later = res.host_out + off + ITEM_SIZE;
			it->later_old = 0;
		}
		memset(res.host_in + off, it->expect, ITEM_SIZE);
		ACL_CHECK(aclrtMemcpyAsync(dev, ITEM_SIZE, res.host_in + off, ITEM_SIZE,
					   ACL_MEMCPY_HOST_TO_DEVICE, res.stream));
		ACL_CHECK(aclrtMemcpyAsync(res.host_out + off, ITEM_SIZE, dev, ITEM_SIZE,
					   ACL_MEMCPY_DEVICE_TO_HOST, res.stream));
		ACL_CHECK(aclrtLaunchCallback(check_item, it, block, res.stream));
	}
	/* the last callback blocks, so this returns only after every callback ran */
	ACL_CHECK(aclrtSynchronizeStream(res.stream));
	return 1;
}

static int check_results(void)
{
	int ok = 1, i;

	for (i = 0; i < NITEMS; i++) {
		const struct item *it = &res.items[i];
		int good = it->runs == 1 && it->order == i && it->on_worker && it->data_ok &&
			   it->held;

		printf("callback %d (%s): ran %d time(s), as #%d, %s, data %s%s   %s\n", i,
		       i == 3 ? "no block" : "block", it->runs, it->order,
		       it->on_worker ? "on the subscribed thread" : "ON ANOTHER THREAD",
		       it->data_ok ? "complete" : "INCOMPLETE",
		       it->later ? (it->held ? ", stream held" : ", STREAM NOT HELD") : "",
		       good ? "PASS" : "FAIL");
		ok &= good;
	}
	return ok;
}

int main(void)
{
	int ok;

	pthread_mutex_init(&res.lock, NULL);
	pthread_cond_init(&res.cond, NULL);
	ok = init_resource() && queue_work() && check_results();
	if (!destroy_resource())
		ok = 0;
	printf("RESULT: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
