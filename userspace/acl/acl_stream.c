// SPDX-License-Identifier: MIT
/*
 * Streams: each aclrtStream is one driver stream (a device queue) of its
 * context's device. Submission and waiting go straight to the HAL without
 * the runtime lock; a failed task is reported once (by the wait or submit
 * that finds it), with the device's reason, and the stream is reset so it
 * can be used again. Also the per-device copier streams synchronous copies
 * run on, and work deferred until a task completes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vascend_mmu_hw.h"

#include "acl_error.h"
#include "acl_log.h"
#include "acl_op_internal.h"
#include "acl_runtime.h"

/* How long destroying a stream waits for its work before aborting it. */
#define DESTROY_WAIT_MS	30000u

bool acl_stream_live_locked(const struct acl_stream *s)
{
	const struct acl_stream *p;

	for (p = acl_rt.streams; p; p = p->next)
		if (p == s)
			return p->magic == ACL_MAGIC_STREAM;
	return false;
}

aclError acl_stream_new_locked(const char *api, int32_t dev, struct acl_context *ctx,
			       bool internal, struct acl_stream **out)
{
	struct acl_stream *s;
	drvError_t drv;
	uint32_t sid;

	drv = halVascendStreamCreate((uint32_t)dev, 0, &sid);
	if (drv)
		return acl_fail_hal(drv == DRV_ERROR_NO_STREAM_RESOURCES ?
					    ACL_ERROR_RT_NO_STREAM_RESOURCE : acl_code_from_drv(drv),
				    api, "cannot create a stream on device %d", dev);
	s = calloc(1, sizeof(*s));
	if (!s) {
		halVascendStreamDestroy((uint32_t)dev, sid);
		return acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api, "no memory for a stream");
	}
	s->magic = ACL_MAGIC_STREAM;
	s->dev = dev;
	s->sid = sid;
	s->internal = internal;
	s->ctx = ctx;
	s->next = acl_rt.streams;
	acl_rt.streams = s;
	*out = s;
	return ACL_SUCCESS;
}

/* Run and free the deferred work of @s up to @seq (all: UINT64_MAX); lock not held. */
static void run_deferred(struct acl_stream *s, uint64_t seq)
{
	struct acl_deferred *d, *ready = NULL, **tail = &ready;

	acl_lock();
	while (s->deferred && s->deferred->seq <= seq) {
		d = s->deferred;
		s->deferred = d->next;
		d->next = NULL;
		*tail = d;
		tail = &d->next;
	}
	acl_unlock();
	while (ready) {
		d = ready;
		ready = d->next;
		d->fn(d->arg);
		free(d);
	}
}

void acl_stream_free_locked(struct acl_stream *s)
{
	struct halVascendStreamStatus st;
	struct acl_stream **link;
	drvError_t drv;

	for (link = &acl_rt.streams; *link; link = &(*link)->next) {
		if (*link == s) {
			*link = s->next;
			break;
		}
	}
	s->magic = 0;
	if (s->ctx && s->ctx->default_stream == s)
		s->ctx->default_stream = NULL;
	acl_sub_detach_stream_locked(s);
	acl_unlock();
	/* let its work finish (as CANN does), unless it never will */
	drv = halVascendStreamWait((uint32_t)s->dev, s->sid, 0, DESTROY_WAIT_MS, &st);
	if (drv == DRV_ERROR_WAIT_TIMEOUT)
		ACL_LOG_WARN("stream %u of device %d: work unfinished after %u ms: aborted", s->sid,
			     s->dev, DESTROY_WAIT_MS);
	drv = halVascendStreamDestroy((uint32_t)s->dev, s->sid);
	if (drv)
		ACL_LOG_WARN("stream %u of device %d: %s", s->sid, s->dev, halVascendLastErrorMsg());
	run_deferred(s, UINT64_MAX);
	acl_lock();
	free(s);
}

aclError acl_stream_resolve_locked(const char *api, aclrtStream stream, struct acl_stream **out)
{
	struct acl_context *ctx;
	aclError ret;

	if (stream) {
		if (!acl_stream_live_locked(stream) || ((struct acl_stream *)stream)->internal)
			return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%p is not a live stream",
					stream);
		*out = stream;
		return ACL_SUCCESS;
	}
	ctx = acl_current_context_locked();
	if (!ctx)
		return acl_fail(ACL_ERROR_RT_CONTEXT_NULL, api,
				"the default stream needs a current context; call aclrtSetDevice "
				"first");
	if (!ctx->default_stream) {
		ret = acl_stream_new_locked(api, ctx->dev, ctx, false, &ctx->default_stream);
		if (ret)
			return ret;
		ctx->default_stream->is_default = true;
	}
	*out = ctx->default_stream;
	return ACL_SUCCESS;
}

aclError acl_stream_device(const char *api, aclrtStream stream, int32_t *dev)
{
	struct acl_stream *s;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	ret = acl_stream_resolve_locked(api, stream, &s);
	if (!ret)
		*dev = s->dev;
	acl_unlock();
	return ret;
}

static uint8_t failed_type(const struct acl_stream *s, uint64_t seq)
{
	uint64_t last = __atomic_load_n(&s->last_seq, __ATOMIC_RELAXED);

	if (!seq || seq > last || last - seq >= ACL_TYPE_RING)
		return 0xff;
	return __atomic_load_n(&s->types[seq % ACL_TYPE_RING], __ATOMIC_RELAXED);
}

/* Report the stream's failure @st (message, code), reset the stream. */
static aclError report_failure(const char *api, struct acl_stream *s,
			       const struct halVascendStreamStatus *st)
{
	uint8_t type = failed_type(s, st->errSeq);
	aclError code = acl_code_from_status(st->status, type), op_code;
	char detail[160] = "", op_msg[384];

	if (st->status == VASCEND_CQE_STATUS_MMU_FAULT)
		snprintf(detail, sizeof(detail), " (%s access at 0x%" PRIx64 ", MMU reason %u: %s)",
			 st->errInfo & VASCEND_FAULT_ACCESS_WRITE ? "write" : "read", st->errResult,
			 VASCEND_FAULT_REASON(st->errInfo),
			 VASCEND_FAULT_REASON(st->errInfo) == VASCEND_MMU_FAULT_NOT_PRESENT ?
				 "not mapped: not device memory nor registered host memory" :
			 VASCEND_FAULT_REASON(st->errInfo) == VASCEND_MMU_FAULT_READ_ONLY ?
				 "read-only" : "see docs/device.md");
	else if (st->status == VASCEND_CQE_STATUS_OP_ERROR || st->status == VASCEND_CQE_STATUS_OP_UNKNOWN)
		snprintf(detail, sizeof(detail), " (info 0x%x, result 0x%" PRIx64 ")", st->errInfo,
			 st->errResult);
	/* a launch the single-op layer queued: name the op and operand, as CANN would */
	op_code = acl_op_explain_failure(s->dev, s->is_default ? NULL : (aclrtStream)s,
					 s->is_default, st->errSeq, st->status, st->errInfo,
					 op_msg, sizeof(op_msg));
	if (op_code != ACL_SUCCESS) {
		code = op_code;
		acl_fail(code, api, "%s; stream %u of device %d, device status %s%s", op_msg,
			 s->sid, s->dev, acl_status_name(st->status), detail);
	} else {
		acl_fail(code, api,
			 "task %" PRIu64 " (%s) on stream %u of device %d failed: device status %s%s",
			 st->errSeq, type == 0xff ? "type unknown" : acl_task_name(type), s->sid,
			 s->dev, acl_status_name(st->status), detail);
	}
	if (halVascendStreamReset((uint32_t)s->dev, s->sid))
		ACL_LOG_WARN("%s: resetting stream %u of device %d: %s", api, s->sid, s->dev,
			     halVascendLastErrorMsg());
	return code;
}

aclError acl_stream_wait_obj(const char *api, struct acl_stream *s, uint64_t seq,
			     int32_t timeout_ms)
{
	uint32_t tmo = timeout_ms < 0 ? HAL_VASCEND_WAIT_FOREVER : (uint32_t)timeout_ms;
	struct halVascendStreamStatus st;
	drvError_t drv;
	aclError ret;

	memset(&st, 0, sizeof(st));
	drv = halVascendStreamWait((uint32_t)s->dev, s->sid, seq, tmo, &st);
	if (drv == DRV_ERROR_WAIT_TIMEOUT) {
		run_deferred(s, st.completed);
		if (!timeout_ms)
			return ACL_ERROR_RT_STREAM_SYNC_TIMEOUT;	/* a query: not an error to log */
		return acl_fail(ACL_ERROR_RT_STREAM_SYNC_TIMEOUT, api,
				"stream %u of device %d: not done within %d ms (task %" PRIu64
				" of %" PRIu64 " done)", s->sid, s->dev, timeout_ms, st.completed,
				__atomic_load_n(&s->last_seq, __ATOMIC_RELAXED));
	}
	if (drv)
		return acl_fail_hal(acl_code_from_drv(drv), api, "waiting for stream %u of device %d",
				    s->sid, s->dev);
	if (st.status) {
		ret = report_failure(api, s, &st);
		run_deferred(s, UINT64_MAX);
		return ret;
	}
	run_deferred(s, st.completed);
	return ACL_SUCCESS;
}

aclError acl_stream_submit_obj(const char *api, struct acl_stream *s,
			       const struct vascend_task *tasks, uint32_t n, uint64_t *seq)
{
	uint64_t last = 0, first, cur;
	drvError_t drv;
	aclError ret;
	uint32_t i;

	if (!tasks || !n)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "no tasks to submit");
	drv = halVascendStreamSubmit((uint32_t)s->dev, s->sid, tasks, n, 0, &last);
	if (drv == DRV_ERROR_STATUS_FAIL) {
		/* an earlier task failed: that is what the caller hears about */
		ret = acl_stream_wait_obj(api, s, 0, 0);
		if (ret)
			return ret;
		drv = halVascendStreamSubmit((uint32_t)s->dev, s->sid, tasks, n, 0, &last);
	}
	if (drv)
		return acl_fail_hal(acl_code_from_drv(drv), api,
				    "submitting %u tasks to stream %u of device %d", n, s->sid, s->dev);
	first = last - n + 1;
	for (i = 0; i < n; i++)
		__atomic_store_n(&s->types[(first + i) % ACL_TYPE_RING], tasks[i].type,
				 __ATOMIC_RELAXED);
	cur = __atomic_load_n(&s->last_seq, __ATOMIC_RELAXED);
	while (cur < last &&
	       !__atomic_compare_exchange_n(&s->last_seq, &cur, last, false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
	if (seq)
		*seq = last;
	return ACL_SUCCESS;
}

aclError acl_stream_submit_api(const char *api, aclrtStream stream,
			       const struct vascend_task *tasks, uint32_t n, uint64_t *seq)
{
	struct acl_stream *s;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	ret = acl_stream_resolve_locked(api, stream, &s);
	acl_unlock();
	if (ret)
		return ret;
	return acl_stream_submit_obj(api, s, tasks, n, seq);
}

aclError acl_stream_submit(aclrtStream stream, const struct vascend_task *tasks, uint32_t n,
			   uint64_t *seq)
{
	return acl_stream_submit_api("acl_stream_submit", stream, tasks, n, seq);
}

aclError acl_stream_wait(const char *api, aclrtStream stream, uint64_t seq, int32_t timeout_ms)
{
	struct acl_stream *s;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	ret = acl_stream_resolve_locked(api, stream, &s);
	acl_unlock();
	if (ret)
		return ret;
	return acl_stream_wait_obj(api, s, seq, timeout_ms);
}

aclError acl_stream_on_complete(const char *api, aclrtStream stream, uint64_t seq,
				void (*fn)(void *arg), void *arg)
{
	struct acl_deferred *d, **link;
	struct acl_stream *s;
	aclError ret;

	d = malloc(sizeof(*d));
	if (!d)
		return acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api, "no memory");
	d->seq = seq;
	d->fn = fn;
	d->arg = arg;
	ret = acl_lock_initialized(api);
	if (ret) {
		free(d);
		return ret;
	}
	ret = acl_stream_resolve_locked(api, stream, &s);
	if (ret) {
		acl_unlock();
		free(d);
		return ret;
	}
	for (link = &s->deferred; *link && (*link)->seq <= seq; link = &(*link)->next)
		;
	d->next = *link;
	*link = d;
	acl_unlock();
	return ACL_SUCCESS;
}

/* ---- copiers: the streams synchronous copies run on ---- */

aclError acl_copier_get(const char *api, int32_t dev, struct acl_copier **out)
{
	struct acl_copier *free_slot;
	struct acl_device *d;
	aclError ret;
	unsigned int i;

	acl_lock();
	for (;;) {
		if (!acl_device_live_locked(dev)) {
			acl_unlock();
			return acl_fail(ACL_ERROR_RT_CONTEXT_NULL, api, "device %d is not set", dev);
		}
		d = &acl_rt.dev[dev];
		free_slot = NULL;
		for (i = 0; i < ACL_COPIERS; i++) {
			if (d->copiers[i].stream && !d->copiers[i].busy) {
				d->copiers[i].busy = true;
				*out = &d->copiers[i];
				acl_unlock();
				return ACL_SUCCESS;
			}
			if (!d->copiers[i].stream && !free_slot)
				free_slot = &d->copiers[i];
		}
		if (free_slot) {
			ret = acl_stream_new_locked(api, dev, NULL, true, &free_slot->stream);
			if (ret) {
				free_slot->stream = NULL;
				acl_unlock();
				return ret;
			}
			free_slot->busy = true;
			*out = free_slot;
			acl_unlock();
			return ACL_SUCCESS;
		}
		pthread_cond_wait(&acl_rt.copier_free, &acl_rt.lock);
	}
}

void acl_copier_put(struct acl_copier *c)
{
	acl_lock();
	c->busy = false;
	pthread_cond_broadcast(&acl_rt.copier_free);
	acl_unlock();
}

void acl_copiers_free_locked(int32_t dev)
{
	struct acl_device *d = &acl_rt.dev[dev];
	unsigned int i;

	for (i = 0; i < ACL_COPIERS; i++) {
		struct acl_copier *c = &d->copiers[i];

		if (c->bounce) {
			acl_unlock();
			acl_pinned_free(c->bounce);
			acl_lock();
			c->bounce = NULL;
		}
		if (c->stream)
			acl_stream_free_locked(c->stream);
		c->stream = NULL;
		c->busy = false;
	}
	pthread_cond_broadcast(&acl_rt.copier_free);
}

/* ---- the public stream API ---- */

ACL_FUNC_VISIBILITY aclError aclrtCreateStream(aclrtStream *stream)
{
	static const char api[] = "aclrtCreateStream";
	struct acl_context *ctx;
	struct acl_stream *s;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!stream) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "stream is NULL");
		goto unlock;
	}
	ctx = acl_current_context_locked();
	if (!ctx) {
		ret = acl_fail(ACL_ERROR_RT_CONTEXT_NULL, api,
			       "no current context in this thread; call aclrtSetDevice first");
		goto unlock;
	}
	ret = acl_stream_new_locked(api, ctx->dev, ctx, false, &s);
	if (!ret)
		*stream = s;
unlock:
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtCreateStreamWithConfig(aclrtStream *stream, uint32_t priority,
							 uint32_t flag)
{
	/* one kind of stream: priorities and fast launch/sync change nothing here */
	if (priority > 7)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclrtCreateStreamWithConfig",
				"priority %u is outside 0..7", priority);
	if (flag & ~(ACL_STREAM_FAST_LAUNCH | ACL_STREAM_FAST_SYNC))
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclrtCreateStreamWithConfig",
				"unknown flag 0x%x", flag);
	return aclrtCreateStream(stream);
}

static aclError destroy_stream(const char *api, aclrtStream stream)
{
	struct acl_stream *s = stream;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!stream)
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "stream is NULL");
	else if (!acl_stream_live_locked(s) || s->internal)
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "%p is not a live stream", stream);
	else if (s->is_default)
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api,
			       "%p is a default stream: it goes with its context", stream);
	else
		acl_stream_free_locked(s);
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtDestroyStream(aclrtStream stream)
{
	return destroy_stream("aclrtDestroyStream", stream);
}

ACL_FUNC_VISIBILITY aclError aclrtDestroyStreamForce(aclrtStream stream)
{
	static const char api[] = "aclrtDestroyStreamForce";
	struct acl_stream *s = stream;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!stream || !acl_stream_live_locked(s) || s->internal || s->is_default) {
		acl_unlock();
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%p is not a stream to destroy",
				stream);
	}
	/* abort first, so the destroy does not wait */
	halVascendStreamReset((uint32_t)s->dev, s->sid);
	acl_stream_free_locked(s);
	acl_unlock();
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclrtSynchronizeStream(aclrtStream stream)
{
	return acl_stream_wait("aclrtSynchronizeStream", stream, 0, -1);
}

ACL_FUNC_VISIBILITY aclError aclrtSynchronizeStreamWithTimeout(aclrtStream stream, int32_t timeout)
{
	static const char api[] = "aclrtSynchronizeStreamWithTimeout";
	aclError ret;

	if (timeout < -1)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "timeout %d: -1, 0 or milliseconds",
				timeout);
	ret = acl_stream_wait(api, stream, 0, timeout);
	if (ret == ACL_ERROR_RT_STREAM_SYNC_TIMEOUT && !timeout)
		acl_fail(ret, api, "the stream has unfinished tasks");
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtStreamQuery(aclrtStream stream, aclrtStreamStatus *status)
{
	static const char api[] = "aclrtStreamQuery";
	aclError ret;

	if (!status) {
		ret = acl_check_init(api);
		return ret ? ret : acl_fail(ACL_ERROR_INVALID_PARAM, api, "status is NULL");
	}
	ret = acl_stream_wait(api, stream, 0, 0);
	if (ret == ACL_ERROR_RT_STREAM_SYNC_TIMEOUT) {
		*status = ACL_STREAM_STATUS_NOT_READY;
		return ACL_SUCCESS;
	}
	if (!ret)
		*status = ACL_STREAM_STATUS_COMPLETE;
	return ret;
}
