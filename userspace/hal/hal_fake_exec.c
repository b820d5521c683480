// SPDX-License-Identifier: MIT
/*
 * The fake streams: tasks are checked as the driver checks them at SUBMIT,
 * then run at once in the submitting thread, in order, until one fails or
 * parks on an EVENT_WAIT. Every SUBMIT (the doorbell) runs every stream
 * that can make progress, so a parked stream resumes when its slot is
 * satisfied by another stream's record or by the host.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vascend_mmu_hw.h"
#include "vascend_queue_hw.h"

#include "hal_fake_internal.h"

#define MAX_XFER	(64ULL << 20)	/* VASCEND_MAX_XFER_LEN */
#define VA_LIMIT	(1ULL << 48)

uint64_t fake_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static hal_fake_launch_fn launch_fn;
static void *launch_ctx;
static hal_fake_model_fn model_fn;
static void *model_ctx;

void hal_fake_set_model(hal_fake_model_fn fn, void *ctx)
{
	pthread_mutex_lock(&fake_lock);
	model_fn = fn;
	model_ctx = ctx;
	pthread_mutex_unlock(&fake_lock);
}

void hal_fake_set_launch(hal_fake_launch_fn fn, void *ctx)
{
	pthread_mutex_lock(&fake_lock);
	launch_fn = fn;
	launch_ctx = ctx;
	pthread_mutex_unlock(&fake_lock);
}

static bool range_ok(uint64_t addr, uint64_t len)
{
	return addr < VA_LIMIT && len <= VA_LIMIT - addr;
}

/* The driver's task rules (docs/uapi.md, "struct vascend_task"): 0 or -EINVAL. */
static int check_task(const struct vascend_task *t)
{
	unsigned int used, i;
	uint64_t n_bind;

	if (t->type > VASCEND_TASK_MODEL_EXECUTE || (t->flags & ~VASCEND_TASK_F_IRQ_NOW) ||
	    t->rsvd0 || t->rsvd1)
		return -EINVAL;
	switch (t->type) {
	case VASCEND_TASK_NOP:
		used = 0;
		break;
	case VASCEND_TASK_MEMCPY:
		used = 3;
		if (!t->u.memcpy.len || t->u.memcpy.len > MAX_XFER ||
		    !range_ok(t->u.memcpy.src, t->u.memcpy.len) ||
		    !range_ok(t->u.memcpy.dst, t->u.memcpy.len) ||
		    (t->u.memcpy.src < t->u.memcpy.dst + t->u.memcpy.len &&
		     t->u.memcpy.dst < t->u.memcpy.src + t->u.memcpy.len))
			return -EINVAL;
		break;
	case VASCEND_TASK_MEMSET:
		used = 3;
		if (!t->u.memset.len || t->u.memset.len > MAX_XFER || t->u.memset.value > 0xff ||
		    t->u.memset.rsvd || !range_ok(t->u.memset.dst, t->u.memset.len))
			return -EINVAL;
		break;
	case VASCEND_TASK_EVENT_RECORD:
	case VASCEND_TASK_EVENT_WAIT:
	case VASCEND_TASK_NOTIFY:
		used = 2;
		if (t->u.event.addr % (t->type == VASCEND_TASK_EVENT_RECORD ? 16 : 8) ||
		    t->u.event.addr >= VA_LIMIT)
			return -EINVAL;
		break;
	case VASCEND_TASK_MODEL_EXECUTE:
		/* model, size, bindings, counts + block_dim, flags + rsvd */
		used = 5;
		n_bind = (uint64_t)t->u.model.num_inputs + t->u.model.num_outputs + 1;
		if (t->u.model.model_size < VASCEND_MODEL_MIN_SIZE ||
		    t->u.model.model_size > VASCEND_MODEL_MAX_SIZE || t->u.model.model % 64 ||
		    t->u.model.bindings % 8 || !t->u.model.num_outputs ||
		    t->u.model.num_outputs > VASCEND_MODEL_MAX_IO ||
		    t->u.model.num_inputs > VASCEND_MODEL_MAX_IO ||
		    !range_ok(t->u.model.model, t->u.model.model_size) ||
		    !range_ok(t->u.model.bindings, n_bind * sizeof(struct vascend_model_binding)) ||
		    t->u.model.block_dim > HAL_FAKE_AICORES || t->u.model.flags || t->u.model.rsvd)
			return -EINVAL;
		break;
	default:	/* KERNEL_LAUNCH */
		used = 3;
		if (t->u.launch.desc_size < 64 || t->u.launch.desc_size > (1u << 20) ||
		    !range_ok(t->u.launch.desc, t->u.launch.desc_size) ||
		    t->u.launch.block_dim > 64 * HAL_FAKE_AICORES || t->u.launch.rsvd)
			return -EINVAL;
		break;
	}
	for (i = used; i < 7; i++)
		if (t->u.raw[i])
			return -EINVAL;
	return 0;
}

/* A fault CQE's info: access bits and reason, as the device's MMU reports them. */
static uint32_t fault_info(bool write, uint32_t reason)
{
	return (write ? VASCEND_FAULT_ACCESS_WRITE : VASCEND_FAULT_ACCESS_READ) | reason << 8;
}

/*
 * Run task @t on card @card: its CQE status, *@info, *@result; *@parked
 * when it is an EVENT_WAIT whose slot is not there yet.
 */
static uint32_t exec_task(struct fake_stream *s, const struct vascend_task *t, uint32_t *info,
			  uint64_t *result, bool *parked)
{
	struct fake_card *c = &fake_cards[s->card];
	uint32_t reason;
	uint64_t *slot;
	void *src, *dst;

	*parked = false;
	if (c->fail_task_times && c->fail_task_type == t->type) {
		c->fail_task_times--;
		*result = c->fail_task_result;
		return c->fail_task_status;
	}
	switch (t->type) {
	case VASCEND_TASK_NOP:
		return VASCEND_CQE_STATUS_SUCCESS;
	case VASCEND_TASK_MEMCPY:
		src = fake_xlate(s->card, t->u.memcpy.src, t->u.memcpy.len, false, &reason);
		if (!src) {
			*info = fault_info(false, reason);
			*result = t->u.memcpy.src;
			return VASCEND_CQE_STATUS_MMU_FAULT;
		}
		dst = fake_xlate(s->card, t->u.memcpy.dst, t->u.memcpy.len, true, &reason);
		if (!dst) {
			*info = fault_info(true, reason);
			*result = t->u.memcpy.dst;
			return VASCEND_CQE_STATUS_MMU_FAULT;
		}
		memcpy(dst, src, t->u.memcpy.len);
		*result = t->u.memcpy.len;
		return VASCEND_CQE_STATUS_SUCCESS;
	case VASCEND_TASK_MEMSET:
		dst = fake_xlate(s->card, t->u.memset.dst, t->u.memset.len, true, &reason);
		if (!dst) {
			*info = fault_info(true, reason);
			*result = t->u.memset.dst;
			return VASCEND_CQE_STATUS_MMU_FAULT;
		}
		memset(dst, (int)t->u.memset.value, t->u.memset.len);
		*result = t->u.memset.len;
		return VASCEND_CQE_STATUS_SUCCESS;
	case VASCEND_TASK_EVENT_RECORD:
	case VASCEND_TASK_NOTIFY:
		slot = fake_xlate(s->card, t->u.event.addr,
				  t->type == VASCEND_TASK_NOTIFY ? 8 : 16, true, &reason);
		if (!slot) {
			*info = fault_info(true, reason);
			*result = t->u.event.addr;
			return VASCEND_CQE_STATUS_MMU_FAULT;
		}
		if (t->type == VASCEND_TASK_EVENT_RECORD)
			__atomic_store_n(&slot[1], fake_now_ns(), __ATOMIC_RELAXED);
		/* the value last: whoever sees it sees the timestamp */
		__atomic_store_n(&slot[0], t->u.event.value, __ATOMIC_RELEASE);
		return VASCEND_CQE_STATUS_SUCCESS;
	case VASCEND_TASK_EVENT_WAIT:
		slot = fake_xlate(s->card, t->u.event.addr, 8, false, &reason);
		if (!slot) {
			*info = fault_info(false, reason);
			*result = t->u.event.addr;
			return VASCEND_CQE_STATUS_MMU_FAULT;
		}
		if (__atomic_load_n(slot, __ATOMIC_ACQUIRE) < t->u.event.value)
			*parked = true;
		return VASCEND_CQE_STATUS_SUCCESS;
	case VASCEND_TASK_MODEL_EXECUTE:
		if (!model_fn)
			return VASCEND_CQE_STATUS_INVALID_OPCODE;
		return model_fn(model_ctx, s->card, t, info, result);
	default:
		if (!launch_fn) {
			*result = t->u.launch.op_id;
			return VASCEND_CQE_STATUS_OP_UNKNOWN;
		}
		return launch_fn(launch_ctx, s->card, t, info, result);
	}
}

static void signal_efd(const struct fake_stream *s)
{
	uint64_t one = 1;

	if (s->efd >= 0 && write(s->efd, &one, sizeof(one)) < 0) {
		/* a full eventfd counter still wakes the reader: nothing to do */
	}
}

/* Run @s until it is empty, failed or parked; whether it made progress. */
static bool run_stream(struct fake_stream *s)
{
	bool progress = false, parked;
	uint32_t status, info;
	uint64_t result, start;

	while (!s->status && s->completed < s->submitted) {
		const struct vascend_task *t = &s->ring[(s->completed + 1) % s->depth];

		info = 0;
		result = 0;
		start = fake_now_ns();
		status = exec_task(s, t, &info, &result, &parked);
		if (parked)
			break;
		s->completed++;
		s->start_ts = start;
		s->end_ts = fake_now_ns();
		fake_cards[s->card].tasks_run[t->type]++;
		progress = true;
		if (status) {
			s->status = status;
			s->err_info = info;
			s->err_seq = s->completed;
			s->err_result = result;
		}
	}
	if (progress)
		signal_efd(s);
	return progress;
}

/* The doorbell: run every stream until none moves. */
static void run_all(void)
{
	bool progress;
	unsigned int i, j;

	do {
		progress = false;
		for (i = 0; i < FAKE_MAX_FDS; i++) {
			if (!fake_fds[i].used || !fake_fds[i].streams)
				continue;
			for (j = 0; j < VASCEND_STREAMS_PER_FILE; j++)
				if (fake_fds[i].streams[j].used)
					progress |= run_stream(&fake_fds[i].streams[j]);
		}
	} while (progress);
	pthread_cond_broadcast(&fake_cond);
}

static struct fake_stream *stream_of(struct fake_fd *f, uint32_t id)
{
	if (!f->streams || !id || id > VASCEND_STREAMS_PER_FILE || !f->streams[id - 1].used)
		return NULL;
	return &f->streams[id - 1];
}

static void stream_free(struct fake_stream *s)
{
	free(s->ring);
	memset(s, 0, sizeof(*s));
	s->efd = -1;
}

/* Abort what has not run: it counts as completed with status ABORTED. */
static void stream_abort(struct fake_stream *s, bool keep_status)
{
	if (s->completed < s->submitted) {
		if (!s->status || !keep_status) {
			s->status = VASCEND_CQE_STATUS_ABORTED;
			s->err_seq = s->completed + 1;
			s->err_info = 0;
			s->err_result = 0;
		}
		s->completed = s->submitted;
		signal_efd(s);
	}
}

static int stream_create(struct fake_fd *f, struct vascend_stream_create *c)
{
	uint32_t depth = c->depth ? c->depth : VASCEND_STREAM_DEFAULT_DEPTH;
	unsigned int i;

	if (c->flags || c->pad || c->reserved[0] || c->reserved[1] || depth < 2 ||
	    depth > VASCEND_STREAM_MAX_DEPTH || (depth & (depth - 1)))
		return -EINVAL;
	if (!f->streams) {
		f->streams = calloc(VASCEND_STREAMS_PER_FILE, sizeof(*f->streams));
		if (!f->streams)
			return -ENOMEM;
	}
	for (i = 0; i < VASCEND_STREAMS_PER_FILE && f->streams[i].used; i++)
		;
	if (i == VASCEND_STREAMS_PER_FILE)
		return -EMFILE;
	f->streams[i].ring = calloc(depth, sizeof(struct vascend_task));
	if (!f->streams[i].ring)
		return -ENOMEM;
	f->streams[i].used = true;
	f->streams[i].card = f->card;
	f->streams[i].depth = depth;
	f->streams[i].efd = -1;
	c->stream_id = i + 1;
	return 0;
}

static int stream_submit(struct fake_fd *f, struct vascend_submit *sub)
{
	const struct vascend_task *tasks = (const void *)(uintptr_t)sub->tasks;
	struct fake_stream *s;
	uint32_t i;

	if (sub->flags & ~VASCEND_SUBMIT_F_NONBLOCK || sub->pad || sub->reserved[0] ||
	    sub->reserved[1] || !sub->count || sub->count > VASCEND_SUBMIT_MAX)
		return -EINVAL;
	s = stream_of(f, sub->stream_id);
	if (!s)
		return -EINVAL;
	if ((sub->flags & VASCEND_SUBMIT_F_NONBLOCK) && sub->count >= s->depth)
		return -EINVAL;
	if (!tasks)
		return -EFAULT;
	for (i = 0; i < sub->count; i++)
		if (check_task(&tasks[i]))
			return -EINVAL;
	run_all();
	if (s->status)
		return -EIO;
	for (i = 0; i < sub->count; i++) {
		/* at most depth - 1 in flight, as the driver's rings */
		while (s->used && !s->status && s->submitted - s->completed >= s->depth - 1) {
			if (sub->flags & VASCEND_SUBMIT_F_NONBLOCK && i == 0)
				return -EAGAIN;
			pthread_cond_wait(&fake_cond, &fake_lock);
		}
		if (!s->used)
			return -EINVAL;	/* destroyed while we slept */
		if (s->status)
			return -EIO;
		s->ring[(s->submitted + 1) % s->depth] = tasks[i];
		s->submitted++;
		sub->seq = s->submitted;
		run_all();
	}
	return 0;
}

static int stream_wait(struct fake_fd *f, struct vascend_wait *w)
{
	struct fake_stream *s;
	struct timespec dl;
	uint64_t target;
	int ret = 0;

	if (w->reserved[0] || w->reserved[1])
		return -EINVAL;
	s = stream_of(f, w->stream_id);
	if (!s || w->seq > s->submitted)
		return -EINVAL;
	target = w->seq ? w->seq : s->submitted;
	run_all();
	if (w->timeout_ms != VASCEND_WAIT_FOREVER) {
		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_sec += w->timeout_ms / 1000;
		dl.tv_nsec += (long)(w->timeout_ms % 1000) * 1000000L;
		if (dl.tv_nsec >= 1000000000L) {
			dl.tv_sec++;
			dl.tv_nsec -= 1000000000L;
		}
	}
	while (s->used && s->completed < target && !s->status) {
		if (!w->timeout_ms) {
			ret = -ETIMEDOUT;
			break;
		}
		if (w->timeout_ms == VASCEND_WAIT_FOREVER)
			pthread_cond_wait(&fake_cond, &fake_lock);
		else if (pthread_cond_timedwait(&fake_cond, &fake_lock, &dl) == ETIMEDOUT &&
			 s->completed < target && !s->status)
			ret = -ETIMEDOUT;
		if (ret)
			break;
	}
	if (!s->used)
		return -EINVAL;
	w->completed = s->completed;
	w->status = s->status;
	w->err_info = s->err_info;
	w->err_seq = s->err_seq;
	w->err_result = s->err_result;
	w->start_ts = s->start_ts;
	w->end_ts = s->end_ts;
	return ret;
}

int fake_stream_ioctl(struct fake_fd *f, unsigned long req, void *arg)
{
	struct vascend_stream_ref *r = arg;
	struct vascend_stream_eventfd *e = arg;
	struct fake_stream *s;

	switch (req) {
	case VASCEND_IOCTL_STREAM_CREATE:
		return stream_create(f, arg);
	case VASCEND_IOCTL_STREAM_DESTROY:
	case VASCEND_IOCTL_STREAM_RESET:
		if (r->flags || r->reserved[0] || r->reserved[1])
			return -EINVAL;
		s = stream_of(f, r->stream_id);
		if (!s)
			return -EINVAL;
		if (req == VASCEND_IOCTL_STREAM_RESET) {
			stream_abort(s, true);
			s->status = 0;
			s->err_info = 0;
			s->err_seq = 0;
			s->err_result = 0;
		} else {
			stream_abort(s, true);
			stream_free(s);
		}
		pthread_cond_broadcast(&fake_cond);
		return 0;
	case VASCEND_IOCTL_SUBMIT:
		return stream_submit(f, arg);
	case VASCEND_IOCTL_WAIT:
		return stream_wait(f, arg);
	case VASCEND_IOCTL_STREAM_EVENTFD:
		if (e->reserved[0] || e->reserved[1] || e->fd < -1)
			return -EINVAL;
		s = stream_of(f, e->stream_id);
		if (!s)
			return -EINVAL;
		s->efd = e->fd;
		return 0;
	default:
		return -ENOTTY;
	}
}

void fake_streams_free(struct fake_fd *f)
{
	unsigned int i;

	if (!f->streams)
		return;
	for (i = 0; i < VASCEND_STREAMS_PER_FILE; i++)
		if (f->streams[i].used)
			stream_free(&f->streams[i]);
	free(f->streams);
	f->streams = NULL;
	pthread_cond_broadcast(&fake_cond);
}

void fake_streams_abort_card(uint32_t card)
{
	unsigned int i, j;

	for (i = 0; i < FAKE_MAX_FDS; i++) {
		if (!fake_fds[i].used || !fake_fds[i].streams)
			continue;
		for (j = 0; j < VASCEND_STREAMS_PER_FILE; j++) {
			struct fake_stream *s = &fake_fds[i].streams[j];

			if (s->used && s->card == card)
				stream_abort(s, false);
		}
	}
	pthread_cond_broadcast(&fake_cond);
}

unsigned int fake_card_streams(uint32_t card)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < FAKE_MAX_FDS; i++) {
		if (!fake_fds[i].used || !fake_fds[i].streams)
			continue;
		for (j = 0; j < VASCEND_STREAMS_PER_FILE; j++)
			n += fake_fds[i].streams[j].used && fake_fds[i].streams[j].card == card;
	}
	return n;
}
