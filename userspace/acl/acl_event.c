// SPDX-License-Identifier: MIT
/*
 * Events: each event owns a 16-byte slot the card writes with an
 * EVENT_RECORD task ({value, device timestamp}). The slot lives in host
 * memory pinned and registered for the event's device, so the host reads
 * completion and timestamps directly (no copy back); the card reads it for
 * EVENT_WAIT (aclrtStreamWaitEvent) through the same mapping. Each record
 * writes a larger value, so a wait is for the record that preceded it.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "acl_error.h"
#include "acl_log.h"
#include "acl_runtime.h"

/* ---- slots: pages of 16-byte slots, pinned per device ---- */

struct vascend_event_slot *acl_slot_get_locked(const char *api, int32_t dev)
{
	struct acl_device *d = &acl_rt.dev[dev];
	struct acl_slab *sl;
	unsigned int i;
	void *mem;

	for (sl = d->slabs; sl; sl = sl->next)
		if (sl->n_used < ACL_SLOTS_PER_SLAB)
			break;
	if (!sl) {
		sl = calloc(1, sizeof(*sl));
		if (!sl) {
			acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api, "no memory for event slots");
			return NULL;
		}
		/* acl_pinned_alloc takes the lock itself */
		acl_unlock();
		if (acl_pinned_alloc(api, dev, 4096, &mem)) {
			acl_lock();
			free(sl);
			return NULL;
		}
		acl_lock();
		sl->mem = mem;
		sl->next = d->slabs;
		d->slabs = sl;
	}
	for (i = 0; i < ACL_SLOTS_PER_SLAB && sl->used[i]; i++)
		;
	sl->used[i] = 1;
	sl->n_used++;
	memset(&sl->mem[i], 0, sizeof(sl->mem[i]));
	return &sl->mem[i];
}

void acl_slot_put_locked(int32_t dev, struct vascend_event_slot *slot)
{
	struct acl_slab *sl;

	for (sl = acl_rt.dev[dev].slabs; sl; sl = sl->next) {
		if (slot >= sl->mem && slot < sl->mem + ACL_SLOTS_PER_SLAB) {
			sl->used[slot - sl->mem] = 0;
			sl->n_used--;
			return;
		}
	}
}

void acl_slabs_free_locked(int32_t dev)
{
	struct acl_slab *sl, *next;

	for (sl = acl_rt.dev[dev].slabs; sl; sl = next) {
		next = sl->next;
		acl_unlock();
		acl_pinned_free(sl->mem);
		acl_lock();
		free(sl);
	}
	acl_rt.dev[dev].slabs = NULL;
}

/* ---- events ---- */

static bool event_live_locked(const struct acl_event *ev)
{
	const struct acl_event *e;

	for (e = acl_rt.events; e; e = e->next)
		if (e == ev)
			return e->magic == ACL_MAGIC_EVENT;
	return false;
}

static void event_free_locked(struct acl_event *ev)
{
	struct acl_event **link;

	for (link = &acl_rt.events; *link; link = &(*link)->next) {
		if (*link == ev) {
			*link = ev->next;
			break;
		}
	}
	ev->magic = 0;
	acl_slot_put_locked(ev->dev, ev->slot);
	free(ev);
}

void acl_events_of_device_free_locked(int32_t dev)
{
	struct acl_event *e, *next;

	for (e = acl_rt.events; e; e = next) {
		next = e->next;
		if (e->dev == dev)
			event_free_locked(e);
	}
}

/* Lock, check init and that @event is live; the lock stays held on success. */
static aclError lock_event(const char *api, aclrtEvent event)
{
	aclError ret = acl_lock_initialized(api);

	if (ret)
		return ret;
	if (!event) {
		acl_unlock();
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "event is NULL");
	}
	if (!event_live_locked(event)) {
		acl_unlock();
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%p is not a live event", event);
	}
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclrtCreateEventWithFlag(aclrtEvent *event, uint32_t flag)
{
	static const char api[] = "aclrtCreateEventWithFlag";
	struct acl_context *ctx;
	struct acl_event *ev;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!event) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "event is NULL");
		goto unlock;
	}
	if (flag & ~(ACL_EVENT_SYNC | ACL_EVENT_CAPTURE_STREAM_PROGRESS | ACL_EVENT_TIME_LINE)) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "unknown flag 0x%x", flag);
		goto unlock;
	}
	ctx = acl_current_context_locked();
	if (!ctx) {
		ret = acl_fail(ACL_ERROR_RT_CONTEXT_NULL, api,
			       "no current context in this thread; call aclrtSetDevice first");
		goto unlock;
	}
	ev = calloc(1, sizeof(*ev));
	if (!ev) {
		ret = acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api, "no memory for an event");
		goto unlock;
	}
	ev->dev = ctx->dev;
	ev->slot = acl_slot_get_locked(api, ctx->dev);
	if (!ev->slot) {
		free(ev);
		ret = ACL_ERROR_RT_MEMORY_ALLOCATION;
		goto unlock;
	}
	ev->magic = ACL_MAGIC_EVENT;
	ev->flag = flag;
	ev->next = acl_rt.events;
	acl_rt.events = ev;
	*event = ev;
unlock:
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtCreateEvent(aclrtEvent *event)
{
	return aclrtCreateEventWithFlag(event, ACL_EVENT_TIME_LINE);
}

static bool event_done_locked(const struct acl_event *ev);

/* A slot a task still to run uses (acl_slot_put_after()). */
struct late_slot {
	int32_t dev;
	struct vascend_event_slot *slot;
};

static void late_slot_put(void *arg)
{
	struct late_slot *l = arg;

	acl_lock();
	acl_slot_put_locked(l->dev, l->slot);
	acl_unlock();
	free(l);
}

void acl_slot_put_after(const char *api, struct acl_stream *stream, uint64_t seq, int32_t dev,
			struct vascend_event_slot *slot)
{
	struct late_slot *late = malloc(sizeof(*late));

	if (late) {
		late->dev = dev;
		late->slot = slot;
		if (!acl_stream_on_complete(api, stream, seq, late_slot_put, late))
			return;
		/*
		 * The stream went meanwhile (destroying it waited for its
		 * work): nothing will touch the slot. Not the caller's error.
		 */
		aclGetRecentErrMsg();
		free(late);
	}
	acl_lock();
	acl_slot_put_locked(dev, slot);
	acl_unlock();
}

ACL_FUNC_VISIBILITY aclError aclrtDestroyEvent(aclrtEvent event)
{
	static const char api[] = "aclrtDestroyEvent";
	struct acl_event *ev = event;
	struct vascend_event_slot *slot;
	struct acl_stream *s;
	struct acl_event **link;
	int32_t dev;
	uint64_t seq;
	aclError ret;

	ret = lock_event(api, event);
	if (ret)
		return ret;
	/*
	 * Its last record may still be queued: the card would write the slot
	 * when it runs, under whichever event had the slot by then (completing
	 * it early, moving its timestamp). Such a slot goes back to the free
	 * list only once that record has run.
	 */
	if (!ev->rec_stream || !acl_stream_live_locked(ev->rec_stream) || event_done_locked(ev)) {
		event_free_locked(ev);
		acl_unlock();
		return ACL_SUCCESS;
	}
	for (link = &acl_rt.events; *link; link = &(*link)->next) {
		if (*link == ev) {
			*link = ev->next;
			break;
		}
	}
	ev->magic = 0;
	dev = ev->dev;
	slot = ev->slot;
	s = ev->rec_stream;
	seq = ev->rec_seq;
	free(ev);
	acl_unlock();
	acl_slot_put_after(api, s, seq, dev, slot);
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclrtRecordEvent(aclrtEvent event, aclrtStream stream)
{
	static const char api[] = "aclrtRecordEvent";
	struct acl_event *ev = event;
	struct vascend_task t;
	struct acl_stream *s;
	uint64_t value, seq;
	aclError ret;

	ret = lock_event(api, event);
	if (ret)
		return ret;
	ret = acl_stream_resolve_locked(api, stream, &s);
	if (!ret && s->dev != ev->dev)
		ret = acl_fail(ACL_ERROR_RT_PARAM_INVALID, api,
			       "event of device %d recorded on a stream of device %d", ev->dev,
			       s->dev);
	value = ev->value + 1;
	acl_unlock();
	if (ret)
		return ret;
	memset(&t, 0, sizeof(t));
	t.type = VASCEND_TASK_EVENT_RECORD;
	t.flags = VASCEND_TASK_F_IRQ_NOW;
	t.u.event.addr = (uintptr_t)ev->slot;
	t.u.event.value = value;
	ret = acl_stream_submit_obj(api, s, &t, 1, &seq);
	if (ret)
		return ret;
	acl_lock();
	if (event_live_locked(ev) && value > ev->value) {
		ev->value = value;
		ev->rec_stream = s;
		ev->rec_seq = seq;
	}
	acl_unlock();
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclrtResetEvent(aclrtEvent event, aclrtStream stream)
{
	static const char api[] = "aclrtResetEvent";
	struct acl_event *ev = event;
	struct acl_stream *s;
	aclError ret;

	ret = lock_event(api, event);
	if (ret)
		return ret;
	ret = acl_stream_resolve_locked(api, stream, &s);
	if (!ret) {
		/*
		 * Not recorded any more. The slot keeps its value (a later record
		 * writes a larger one), so waits queued earlier stay satisfied.
		 */
		ev->rec_stream = NULL;
		ev->rec_seq = 0;
	}
	acl_unlock();
	return ret;
}

/* Whether the last record of @ev has run (lock held); false when never recorded. */
static bool event_done_locked(const struct acl_event *ev)
{
	return ev->rec_stream &&
	       __atomic_load_n(&ev->slot->value, __ATOMIC_ACQUIRE) >= ev->value;
}

ACL_FUNC_VISIBILITY aclError aclrtQueryEventStatus(aclrtEvent event,
						   aclrtEventRecordedStatus *status)
{
	static const char api[] = "aclrtQueryEventStatus";
	struct acl_stream *s = NULL;
	uint64_t seq = 0;
	aclError ret;
	bool done;

	ret = lock_event(api, event);
	if (ret)
		return ret;
	if (!status) {
		acl_unlock();
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "status is NULL");
	}
	done = event_done_locked(event);
	if (done && acl_stream_live_locked(((struct acl_event *)event)->rec_stream)) {
		s = ((struct acl_event *)event)->rec_stream;
		seq = ((struct acl_event *)event)->rec_seq;
	}
	acl_unlock();
	/* hand over what completed work left for the host (staged copies) */
	if (s)
		acl_stream_wait_obj(api, s, seq, 0);
	*status = done ? ACL_EVENT_RECORDED_STATUS_COMPLETE : ACL_EVENT_RECORDED_STATUS_NOT_READY;
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclrtQueryEvent(aclrtEvent event, aclrtEventStatus *status)
{
	aclrtEventRecordedStatus st;
	aclError ret;

	if (!status)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclrtQueryEvent", "status is NULL");
	ret = aclrtQueryEventStatus(event, &st);
	if (!ret)
		*status = st == ACL_EVENT_RECORDED_STATUS_COMPLETE ? ACL_EVENT_STATUS_COMPLETE :
								     ACL_EVENT_STATUS_NOT_READY;
	return ret;
}

static aclError sync_event(const char *api, aclrtEvent event, int32_t timeout)
{
	struct acl_event *ev = event;
	struct acl_stream *s;
	uint64_t seq;
	aclError ret;

	ret = lock_event(api, event);
	if (ret)
		return ret;
	s = ev->rec_stream;
	seq = ev->rec_seq;
	if (!s || !acl_stream_live_locked(s)) {
		/* never recorded, or its stream is gone (its work was waited for) */
		acl_unlock();
		return ACL_SUCCESS;
	}
	acl_unlock();
	ret = acl_stream_wait_obj(api, s, seq, timeout);
	if (ret == ACL_ERROR_RT_STREAM_SYNC_TIMEOUT) {
		if (!timeout)
			acl_fail(ACL_ERROR_RT_EVENT_SYNC_TIMEOUT, api, "the event has not completed");
		return ACL_ERROR_RT_EVENT_SYNC_TIMEOUT;
	}
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtSynchronizeEvent(aclrtEvent event)
{
	return sync_event("aclrtSynchronizeEvent", event, -1);
}

ACL_FUNC_VISIBILITY aclError aclrtSynchronizeEventWithTimeout(aclrtEvent event, int32_t timeout)
{
	if (timeout < -1)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclrtSynchronizeEventWithTimeout",
				"timeout %d: -1, 0 or milliseconds", timeout);
	return sync_event("aclrtSynchronizeEventWithTimeout", event, timeout);
}

ACL_FUNC_VISIBILITY aclError aclrtEventElapsedTime(float *ms, aclrtEvent startEvent,
						   aclrtEvent endEvent)
{
	static const char api[] = "aclrtEventElapsedTime";
	struct acl_event *a = startEvent, *b = endEvent;
	uint64_t t0, t1;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!ms || !a || !b) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "ms, startEvent and endEvent must not be NULL");
	} else if (!event_live_locked(a) || !event_live_locked(b)) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "%p is not a live event",
			       event_live_locked(a) ? endEvent : startEvent);
	} else if (!a->rec_stream || !b->rec_stream) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s event was never recorded",
			       !a->rec_stream ? "the start" : "the end");
	} else if (!event_done_locked(a) || !event_done_locked(b)) {
		ret = acl_fail(ACL_ERROR_RT_EVENT_NOT_COMPLETE, api,
			       "%s event has not completed yet (synchronize it first)",
			       !event_done_locked(a) ? "the start" : "the end");
	} else if (a->dev != b->dev) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api,
			       "events of devices %d and %d have no common clock", a->dev, b->dev);
	} else {
		t0 = __atomic_load_n(&a->slot->timestamp, __ATOMIC_RELAXED);
		t1 = __atomic_load_n(&b->slot->timestamp, __ATOMIC_RELAXED);
		if (t1 < t0)
			ret = acl_fail(ACL_ERROR_RT_EVENT_TIMESTAMP_REVERSAL, api,
				       "the end event ran %" PRIu64 " ns before the start event",
				       t0 - t1);
		else
			*ms = (float)((double)(t1 - t0) / 1e6);	/* the device clock counts ns */
	}
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtStreamWaitEvent(aclrtStream stream, aclrtEvent event)
{
	static const char api[] = "aclrtStreamWaitEvent";
	struct acl_event *ev = event;
	struct vascend_task t;
	struct acl_stream *s;
	aclError ret;

	ret = lock_event(api, event);
	if (ret)
		return ret;
	ret = acl_stream_resolve_locked(api, stream, &s);
	if (!ret && s->dev != ev->dev)
		ret = acl_fail(ACL_ERROR_RT_PARAM_INVALID, api,
			       "a stream of device %d cannot wait for an event of device %d",
			       s->dev, ev->dev);
	memset(&t, 0, sizeof(t));
	t.type = VASCEND_TASK_EVENT_WAIT;
	t.u.event.addr = (uintptr_t)ev->slot;
	t.u.event.value = ev->value;
	acl_unlock();
	if (ret)
		return ret;
	if (!t.u.event.value)
		return ACL_SUCCESS;	/* never recorded: nothing to wait for (as CANN) */
	return acl_stream_submit_obj(api, s, &t, 1, NULL);
}
