// SPDX-License-Identifier: MIT
/*
 * Host callbacks on streams: aclrtSubscribeReport names the thread that
 * runs a stream's callbacks, aclrtLaunchCallback puts a NOTIFY task on the
 * stream (which writes a pinned slot the host reads and signals the
 * stream's eventfd), and that thread runs the callbacks in aclrtProcessReport.
 * A blocking callback is followed by an EVENT_WAIT on a second slot the host
 * writes after the callback returned, so the stream's later tasks wait for
 * it; a NOP submitted after the write rings the doorbell that makes the card
 * look again. That slot goes back to the pool only once the EVENT_WAIT has
 * run: handed out again earlier, it was zeroed for the next callback before
 * the card looked, and the stream waited forever.
 *
 * One subscription per thread (any number of streams, one eventfd for all);
 * a stream has at most one subscribed thread.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "acl_error.h"
#include "acl_log.h"
#include "acl_runtime.h"

struct acl_cb {
	aclrtCallback fn;
	void *data;
	bool block;
	struct acl_stream *stream;
	int32_t dev;
	struct vascend_event_slot *notify;	/* the card writes 1 here */
	struct vascend_event_slot *release;	/* the host writes 1 here (block) */
	struct acl_cb *next;
};

struct acl_sub {
	pthread_t tid;
	int efd;
	unsigned int streams;
	struct acl_cb *queue;		/* launch order */
	struct acl_sub *next;
};

static struct acl_sub *sub_of_locked(pthread_t tid)
{
	struct acl_sub *sub;

	for (sub = acl_rt.subs; sub; sub = sub->next)
		if (pthread_equal(sub->tid, tid))
			return sub;
	return NULL;
}

/* The release slot is not the callback's to free: see aclrtLaunchCallback. */
static void cb_free_locked(struct acl_cb *cb)
{
	acl_slot_put_locked(cb->dev, cb->notify);
	free(cb);
}

static void sub_free_locked(struct acl_sub *sub)
{
	struct acl_sub **link;
	struct acl_cb *cb;

	for (link = &acl_rt.subs; *link; link = &(*link)->next) {
		if (*link == sub) {
			*link = sub->next;
			break;
		}
	}
	while ((cb = sub->queue)) {
		sub->queue = cb->next;
		/* a blocked stream would wait forever: let it go */
		if (cb->release)
			__atomic_store_n(&cb->release->value, 1, __ATOMIC_RELEASE);
		cb_free_locked(cb);
	}
	close(sub->efd);
	free(sub);
}

/* Drop @s from its subscription (lock held): its pending callbacks are dropped. */
void acl_sub_detach_stream_locked(struct acl_stream *s)
{
	struct acl_sub *sub = s->sub;
	struct acl_cb **link, *cb;

	if (!sub)
		return;
	halVascendStreamSetEventfd((uint32_t)s->dev, s->sid, -1);
	for (link = &sub->queue; (cb = *link);) {
		if (cb->stream == s) {
			*link = cb->next;
			if (cb->release)
				__atomic_store_n(&cb->release->value, 1, __ATOMIC_RELEASE);
			cb_free_locked(cb);
		} else {
			link = &cb->next;
		}
	}
	s->sub = NULL;
	if (!--sub->streams)
		sub_free_locked(sub);
}

void acl_subs_free_all_locked(void)
{
	struct acl_stream *s;

	for (s = acl_rt.streams; s; s = s->next)
		if (s->sub)
			acl_sub_detach_stream_locked(s);
	while (acl_rt.subs)
		sub_free_locked(acl_rt.subs);
}

ACL_FUNC_VISIBILITY aclError aclrtSubscribeReport(uint64_t threadId, aclrtStream stream)
{
	static const char api[] = "aclrtSubscribeReport";
	pthread_t tid = (pthread_t)threadId;
	struct acl_stream *s;
	struct acl_sub *sub;
	drvError_t drv;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	ret = acl_stream_resolve_locked(api, stream, &s);
	if (ret)
		goto unlock;
	if (s->sub) {
		ret = acl_fail(ACL_ERROR_REPEAT_SUBSCRIBE, api,
			       "the stream is subscribed already (aclrtUnSubscribeReport first)");
		goto unlock;
	}
	sub = sub_of_locked(tid);
	if (!sub) {
		sub = calloc(1, sizeof(*sub));
		if (!sub) {
			ret = acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api, "no memory");
			goto unlock;
		}
		sub->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (sub->efd < 0) {
			ret = acl_fail(ACL_ERROR_RT_RESOURCE_ALLOC_FAIL, api, "eventfd: %s",
				       strerror(errno));
			free(sub);
			goto unlock;
		}
		sub->tid = tid;
		sub->next = acl_rt.subs;
		acl_rt.subs = sub;
	}
	drv = halVascendStreamSetEventfd((uint32_t)s->dev, s->sid, sub->efd);
	if (drv) {
		ret = acl_fail_hal(acl_code_from_drv(drv), api, "cannot watch the stream");
		if (!sub->streams)
			sub_free_locked(sub);
		goto unlock;
	}
	s->sub = sub;
	sub->streams++;
unlock:
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtUnSubscribeReport(uint64_t threadId, aclrtStream stream)
{
	static const char api[] = "aclrtUnSubscribeReport";
	struct acl_stream *s;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	ret = acl_stream_resolve_locked(api, stream, &s);
	if (ret)
		goto unlock;
	if (!s->sub || !pthread_equal(s->sub->tid, (pthread_t)threadId))
		ret = acl_fail(ACL_ERROR_STREAM_NOT_SUBSCRIBE, api,
			       "the stream is not subscribed by thread %llu",
			       (unsigned long long)threadId);
	else
		acl_sub_detach_stream_locked(s);
unlock:
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtLaunchCallback(aclrtCallback fn, void *userData,
						 aclrtCallbackBlockType blockType,
						 aclrtStream stream)
{
	static const char api[] = "aclrtLaunchCallback";
	struct vascend_event_slot *release;
	struct vascend_task t[2];
	struct acl_cb *cb, **tail;
	struct acl_stream *s;
	uint32_t ntasks;
	uint64_t seq;
	int32_t dev;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!fn) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "fn is NULL");
		goto unlock;
	}
	if (blockType != ACL_CALLBACK_NO_BLOCK && blockType != ACL_CALLBACK_BLOCK) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "unknown block type %d", (int)blockType);
		goto unlock;
	}
	ret = acl_stream_resolve_locked(api, stream, &s);
	if (ret)
		goto unlock;
	if (!s->sub) {
		ret = acl_fail(ACL_ERROR_RT_STREAM_NO_CB_REG, api,
			       "no thread is subscribed to the stream (aclrtSubscribeReport first)");
		goto unlock;
	}
	cb = calloc(1, sizeof(*cb));
	if (!cb) {
		ret = acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api, "no memory");
		goto unlock;
	}
	cb->fn = fn;
	cb->data = userData;
	cb->block = blockType == ACL_CALLBACK_BLOCK;
	cb->stream = s;
	cb->dev = s->dev;
	cb->notify = acl_slot_get_locked(api, s->dev);
	if (cb->notify && cb->block)
		cb->release = acl_slot_get_locked(api, s->dev);
	if (!cb->notify || (cb->block && !cb->release)) {
		if (cb->notify)
			acl_slot_put_locked(s->dev, cb->notify);
		free(cb);
		ret = ACL_ERROR_RT_MEMORY_ALLOCATION;
		goto unlock;
	}
	memset(t, 0, sizeof(t));
	t[0].type = VASCEND_TASK_NOTIFY;
	t[0].flags = VASCEND_TASK_F_IRQ_NOW;
	t[0].u.event.addr = (uintptr_t)&cb->notify->value;
	t[0].u.event.value = 1;
	if (cb->block) {
		t[1].type = VASCEND_TASK_EVENT_WAIT;
		t[1].u.event.addr = (uintptr_t)&cb->release->value;
		t[1].u.event.value = 1;
	}
	/* queued before the NOTIFY can run, so the processing thread finds it */
	for (tail = &s->sub->queue; *tail; tail = &(*tail)->next)
		;
	*tail = cb;
	/* once submitted, cb may be run and freed by the subscribed thread */
	release = cb->release;
	dev = cb->dev;
	ntasks = cb->block ? 2 : 1;
	acl_unlock();
	ret = acl_stream_submit_obj(api, s, t, ntasks, &seq);
	if (ret) {
		acl_lock();
		for (tail = s->sub ? &s->sub->queue : NULL; tail && *tail; tail = &(*tail)->next) {
			if (*tail == cb) {
				*tail = cb->next;
				cb_free_locked(cb);
				break;
			}
		}
		if (release)
			acl_slot_put_locked(dev, release);
		acl_unlock();
	} else if (release) {
		/* the EVENT_WAIT (task seq) reads it until it has run */
		acl_slot_put_after(api, s, seq, dev, release);
	}
	return ret;
unlock:
	acl_unlock();
	return ret;
}

/* The first callback of @sub whose NOTIFY has run, unlinked; NULL when none. */
static struct acl_cb *take_ready_locked(struct acl_sub *sub)
{
	struct acl_cb **link, *cb;

	for (link = &sub->queue; (cb = *link); link = &cb->next) {
		if (__atomic_load_n(&cb->notify->value, __ATOMIC_ACQUIRE)) {
			*link = cb->next;
			return cb;
		}
	}
	return NULL;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

ACL_FUNC_VISIBILITY aclError aclrtProcessReport(int32_t timeout)
{
	static const char api[] = "aclrtProcessReport";
	int64_t deadline = timeout > 0 ? now_ms() + timeout : 0;
	struct vascend_task nop;
	struct acl_sub *sub;
	struct acl_cb *cb;
	struct pollfd pfd;
	aclError ret;
	uint64_t cnt;
	int wait_ms, efd;
	bool ran = false;

	if (timeout < -1)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "timeout %d: -1 or milliseconds",
				timeout);
	for (;;) {
		ret = acl_lock_initialized(api);
		if (ret)
			return ret;
		sub = sub_of_locked(pthread_self());
		if (!sub) {
			acl_unlock();
			if (ran)
				return ACL_SUCCESS;
			return acl_fail(ACL_ERROR_THREAD_NOT_SUBSCRIBE, api,
					"this thread is not subscribed to any stream "
					"(aclrtSubscribeReport)");
		}
		efd = sub->efd;
		/* clear first: a completion after this point wakes the poll below */
		if (read(efd, &cnt, sizeof(cnt)) < 0) {
			/* EAGAIN: nothing signalled since the last look */
		}
		cb = take_ready_locked(sub);
		acl_unlock();
		if (cb) {
			cb->fn(cb->data);
			ran = true;
			if (cb->block) {
				__atomic_store_n(&cb->release->value, 1, __ATOMIC_RELEASE);
				/* ring the doorbell so the card looks at the slot again */
				memset(&nop, 0, sizeof(nop));
				nop.type = VASCEND_TASK_NOP;
				acl_lock();
				if (acl_stream_live_locked(cb->stream)) {
					struct acl_stream *s = cb->stream;

					acl_unlock();
					acl_stream_submit_obj(api, s, &nop, 1, NULL);
					acl_lock();
				}
				acl_unlock();
			}
			acl_lock();
			cb_free_locked(cb);
			acl_unlock();
			continue;	/* run everything that is ready */
		}
		if (ran)
			return ACL_SUCCESS;
		if (timeout == 0 || (timeout > 0 && now_ms() >= deadline))
			break;
		wait_ms = timeout < 0 ? 1000 : (int)(deadline - now_ms());
		if (wait_ms > 1000)
			wait_ms = 1000;	/* look again now and then: a subscription may change */
		pfd.fd = efd;
		pfd.events = POLLIN;
		poll(&pfd, 1, wait_ms < 0 ? 0 : wait_ms);
	}
	/* the normal end of a report thread's poll: not an error to log */
	return acl_note(ACL_ERROR_WAIT_CALLBACK_TIMEOUT, api, "no callback within %d ms", timeout);
}
