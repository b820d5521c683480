// SPDX-License-Identifier: MIT
/*
 * Copies and fills: aclrtMemcpy/aclrtMemcpyAsync in every direction and
 * aclrtMemset/aclrtMemsetAsync, as MEMCPY/MEMSET tasks the card's copy
 * engine runs between device memory and host memory it can reach.
 *
 * Host memory the card can reach: aclrtMallocHost blocks (pinned); other
 * host memory is either pinned for the one copy (registered on the fly:
 * large copies) or staged through a pinned bounce buffer (small ones),
 * whichever is faster (docs/performance.md has the measurements behind
 * ACL_REGISTER_MIN). Synchronous copies run on the device's copier streams,
 * so they are not ordered behind any user stream, as in CANN.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "acl_error.h"
#include "acl_log.h"
#include "acl_runtime.h"

/* From this size on, pinning the caller's pages beats copying them through the bounce buffer. */
#define ACL_REGISTER_MIN	(256u << 10)
#define HOST_PAGE		4096u
#define HALF_BOUNCE		(ACL_BOUNCE_SIZE / 2)

static const char *const kind_names[] = {
	[ACL_MEMCPY_HOST_TO_HOST] = "ACL_MEMCPY_HOST_TO_HOST",
	[ACL_MEMCPY_HOST_TO_DEVICE] = "ACL_MEMCPY_HOST_TO_DEVICE",
	[ACL_MEMCPY_DEVICE_TO_HOST] = "ACL_MEMCPY_DEVICE_TO_HOST",
	[ACL_MEMCPY_DEVICE_TO_DEVICE] = "ACL_MEMCPY_DEVICE_TO_DEVICE",
	[ACL_MEMCPY_DEFAULT] = "ACL_MEMCPY_DEFAULT",
	[ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE] = "ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE",
	[ACL_MEMCPY_INNER_DEVICE_TO_DEVICE] = "ACL_MEMCPY_INNER_DEVICE_TO_DEVICE",
	[ACL_MEMCPY_INTER_DEVICE_TO_DEVICE] = "ACL_MEMCPY_INTER_DEVICE_TO_DEVICE",
};

/* One end of a copy: host memory, or device memory of a device. */
struct end {
	bool dev;
	int32_t id;
};

/* Where [@p, @p + @len) is; a device range must lie inside one allocation. */
static aclError locate(const char *api, const char *name, const void *p, size_t len,
		       struct end *e)
{
	uint64_t size;
	drvError_t drv;
	uint32_t dev;
	void *base;

	/* one lookup tells device memory, a stale device pointer and host memory apart */
	drv = halVascendMemLookup(p, &base, &size, &dev);
	if (!drv) {
		if (len > size - ((uintptr_t)p - (uintptr_t)base))
			return acl_fail(ACL_ERROR_RT_PARAM_INVALID, api,
					"%s %p + %zu bytes runs past the end of its allocation on "
					"device %u", name, p, len, dev);
		e->dev = true;
		e->id = (int32_t)dev;
		return ACL_SUCCESS;
	}
	/* in the device memory window, in no allocation: not host memory either */
	if (drv == DRV_ERROR_NOT_EXIST)
		return acl_fail(ACL_ERROR_RT_PARAM_INVALID, api,
				"%s %p is device memory that is no longer allocated (freed, or its "
				"device was reset)", name, p);
	e->dev = false;
	e->id = -1;
	return ACL_SUCCESS;
}

/* A task list for [len] bytes in pieces of at most ACL_MAX_XFER. */
static uint32_t pieces(size_t len)
{
	return (uint32_t)((len + ACL_MAX_XFER - 1) / ACL_MAX_XFER);
}

static struct vascend_task *copy_tasks(uint64_t dst, uint64_t src, size_t len, uint32_t *n)
{
	struct vascend_task *t;
	uint64_t done = 0, step;
	uint32_t i;

	/* overlapping ranges (a D2D memmove): pieces no longer than the distance, in the safe order */
	uint64_t dist = dst > src ? dst - src : src - dst;
	uint64_t max = dist < len && dist < ACL_MAX_XFER ? dist : ACL_MAX_XFER;
	bool backward = dst > src && dst < src + len;

	if (!dist) {
		/* a copy onto itself: nothing moves, but the stream still gets a task */
		*n = 1;
		return calloc(1, sizeof(*t));	/* a NOP */
	}
	*n = (uint32_t)((len + max - 1) / max);
	t = calloc(*n, sizeof(*t));
	if (!t)
		return NULL;
	for (i = 0; i < *n; i++, done += step) {
		step = len - done < max ? len - done : max;
		t[i].type = VASCEND_TASK_MEMCPY;
		if (backward) {
			t[i].u.memcpy.src = src + len - done - step;
			t[i].u.memcpy.dst = dst + len - done - step;
		} else {
			t[i].u.memcpy.src = src + done;
			t[i].u.memcpy.dst = dst + done;
		}
		t[i].u.memcpy.len = step;
	}
	t[*n - 1].flags = VASCEND_TASK_F_IRQ_NOW;
	return t;
}

static struct vascend_task *set_tasks(uint64_t dst, uint8_t value, size_t len, uint32_t *n)
{
	struct vascend_task *t;
	uint64_t done = 0, step;
	uint32_t i;

	*n = pieces(len);
	t = calloc(*n, sizeof(*t));
	if (!t)
		return NULL;
	for (i = 0; i < *n; i++, done += step) {
		step = len - done < ACL_MAX_XFER ? len - done : ACL_MAX_XFER;
		t[i].type = VASCEND_TASK_MEMSET;
		t[i].u.memset.dst = dst + done;
		t[i].u.memset.len = step;
		t[i].u.memset.value = value;
	}
	t[*n - 1].flags = VASCEND_TASK_F_IRQ_NOW;
	return t;
}

/*
 * Submit @t[*@n] to @s (a user stream, or a copier when @wait), waiting when
 * asked; frees @t. @n is a pointer: the task builder that makes @t sets it,
 * and C does not order the evaluation of arguments.
 */
static aclError submit_tasks(const char *api, struct acl_stream *s, struct vascend_task *t,
			     const uint32_t *np, bool wait, uint64_t *seq_out)
{
	uint32_t n = *np;
	uint64_t seq = 0;
	aclError ret;

	if (!t)
		return acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api, "no memory for the tasks");
	ret = acl_stream_submit_obj(api, s, t, n, &seq);
	free(t);
	if (!ret && wait)
		ret = acl_stream_wait_obj(api, s, seq, -1);
	if (seq_out)
		*seq_out = seq;
	return ret;
}

/* Device-side copy on a copier of @dev, waited for. */
static aclError copy_on_copier(const char *api, int32_t dev, uint64_t dst, uint64_t src,
			       size_t len)
{
	struct acl_copier *c;
	uint32_t n = 0;
	aclError ret;

	ret = acl_copier_get(api, dev, &c);
	if (ret)
		return ret;
	ret = submit_tasks(api, c->stream, copy_tasks(dst, src, len, &n), &n, true, NULL);
	acl_copier_put(c);
	return ret;
}

/* Pin [@p, @p + @len) (whole pages) for @dev; the registered start, or NULL. */
static void *pin_range(const void *p, size_t len, int32_t dev, bool readonly)
{
	uintptr_t lo = (uintptr_t)p & ~(uintptr_t)(HOST_PAGE - 1);
	uintptr_t hi = ((uintptr_t)p + len + HOST_PAGE - 1) & ~(uintptr_t)(HOST_PAGE - 1);
	void *dst;

	if (halHostRegister((void *)lo, hi - lo, readonly ? HAL_VASCEND_HOST_REG_READONLY : 0,
			    (uint32_t)dev, &dst)) {
		ACL_LOG_DEBUG("pinning %p + %zu on the fly: %s; staging instead", p, len,
			      halVascendLastErrorMsg());
		return NULL;
	}
	return (void *)lo;
}

/* The copier's bounce buffer, pinned for @dev on first use. */
static aclError bounce_of(const char *api, int32_t dev, struct acl_copier *c)
{
	void *p;
	aclError ret;

	if (c->bounce)
		return ACL_SUCCESS;
	ret = acl_pinned_alloc(api, dev, ACL_BOUNCE_SIZE, &p);
	if (!ret)
		c->bounce = p;
	return ret;
}

/*
 * Host <-> device through the copier's bounce buffer, its two halves in
 * turn: the host copies one half while the card copies the other.
 */
static aclError bounce_copy(const char *api, int32_t dev, void *devp, void *host, size_t len,
			    bool to_dev)
{
	uint64_t seqs[2] = { 0, 0 };
	struct vascend_task t;
	struct acl_copier *c;
	size_t off, chunk, i, nchunks;
	aclError ret;
	uint8_t *half;

	ret = acl_copier_get(api, dev, &c);
	if (ret)
		return ret;
	ret = bounce_of(api, dev, c);
	if (ret)
		goto out;
	nchunks = (len + HALF_BOUNCE - 1) / HALF_BOUNCE;
	for (i = 0; i <= nchunks && !ret; i++) {
		/* D2H: start chunk i, then drain chunk i - 1; H2D: fill and start chunk i */
		if (i < nchunks) {
			off = i * HALF_BOUNCE;
			chunk = len - off < HALF_BOUNCE ? len - off : HALF_BOUNCE;
			half = c->bounce + (i & 1) * HALF_BOUNCE;
			if (seqs[i & 1]) {
				ret = acl_stream_wait_obj(api, c->stream, seqs[i & 1], -1);
				if (ret)
					break;
			}
			if (to_dev)
				memcpy(half, (uint8_t *)host + off, chunk);
			memset(&t, 0, sizeof(t));
			t.type = VASCEND_TASK_MEMCPY;
			t.flags = VASCEND_TASK_F_IRQ_NOW;
			t.u.memcpy.src = to_dev ? (uintptr_t)half : (uintptr_t)devp + off;
			t.u.memcpy.dst = to_dev ? (uintptr_t)devp + off : (uintptr_t)half;
			t.u.memcpy.len = chunk;
			ret = acl_stream_submit_obj(api, c->stream, &t, 1, &seqs[i & 1]);
		}
		if (!to_dev && i > 0 && !ret) {
			size_t j = i - 1;

			off = j * HALF_BOUNCE;
			chunk = len - off < HALF_BOUNCE ? len - off : HALF_BOUNCE;
			ret = acl_stream_wait_obj(api, c->stream, seqs[j & 1], -1);
			if (!ret)
				memcpy((uint8_t *)host + off, c->bounce + (j & 1) * HALF_BOUNCE, chunk);
		}
	}
	if (!ret && to_dev)
		ret = acl_stream_wait_obj(api, c->stream, 0, -1);
out:
	acl_copier_put(c);
	return ret;
}

/* Synchronous host <-> device copy on device @dev. */
static aclError host_dev_sync(const char *api, int32_t dev, void *devp, void *host, size_t len,
			      bool to_dev)
{
	uint64_t d = (uintptr_t)devp, h = (uintptr_t)host;
	bool pinned;
	aclError ret;
	void *reg;

	acl_lock();
	pinned = acl_pinned_for_locked(host, len, dev);
	acl_unlock();
	if (pinned)
		return copy_on_copier(api, dev, to_dev ? d : h, to_dev ? h : d, len);
	if (len >= ACL_REGISTER_MIN) {
		reg = pin_range(host, len, dev, to_dev);
		if (reg) {
			ret = copy_on_copier(api, dev, to_dev ? d : h, to_dev ? h : d, len);
			if (halHostUnregister(reg, (uint32_t)dev))
				ACL_LOG_WARN("%s: unpinning %p: %s", api, reg, halVascendLastErrorMsg());
			return ret;
		}
	}
	return bounce_copy(api, dev, devp, host, len, to_dev);
}

/* Device @sd -> device @dd through host memory. */
static aclError inter_device(const char *api, int32_t dd, void *dst, int32_t sd, const void *src,
			     size_t len)
{
	size_t off, chunk;
	aclError ret = ACL_SUCCESS;
	void *tmp;

	if (posix_memalign(&tmp, HOST_PAGE, ACL_BOUNCE_SIZE))
		return acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api, "no host memory to stage");
	for (off = 0; off < len && !ret; off += chunk) {
		chunk = len - off < ACL_BOUNCE_SIZE ? len - off : ACL_BOUNCE_SIZE;
		ret = host_dev_sync(api, sd, (uint8_t *)src + off, tmp, chunk, false);
		if (!ret)
			ret = host_dev_sync(api, dd, (uint8_t *)dst + off, tmp, chunk, true);
	}
	free(tmp);
	return ret;
}

/* The direction @kind asks for, checked against where the ends are. */
static aclError check_kind(const char *api, aclrtMemcpyKind kind, const struct end *d,
			   const struct end *s, aclrtMemcpyKind *eff)
{
	bool want_src_dev, want_dst_dev;

	switch (kind) {
	case ACL_MEMCPY_HOST_TO_HOST:
		want_src_dev = false, want_dst_dev = false;
		break;
	case ACL_MEMCPY_HOST_TO_DEVICE:
	case ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE:
		want_src_dev = false, want_dst_dev = true;
		break;
	case ACL_MEMCPY_DEVICE_TO_HOST:
		want_src_dev = true, want_dst_dev = false;
		break;
	case ACL_MEMCPY_DEVICE_TO_DEVICE:
	case ACL_MEMCPY_INNER_DEVICE_TO_DEVICE:
	case ACL_MEMCPY_INTER_DEVICE_TO_DEVICE:
		want_src_dev = true, want_dst_dev = true;
		break;
	case ACL_MEMCPY_DEFAULT:
		want_src_dev = s->dev, want_dst_dev = d->dev;
		break;
	default:
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "unknown memcpy kind %d", (int)kind);
	}
	if (want_src_dev != s->dev || want_dst_dev != d->dev)
		return acl_fail(ACL_ERROR_RT_PARAM_INVALID, api,
				"%s copies %s to %s, but src is %s memory and dst is %s memory",
				kind_names[kind], want_src_dev ? "device" : "host",
				want_dst_dev ? "device" : "host", s->dev ? "device" : "host",
				d->dev ? "device" : "host");
	if (kind == ACL_MEMCPY_INNER_DEVICE_TO_DEVICE && s->id != d->id)
		return acl_fail(ACL_ERROR_RT_PARAM_INVALID, api,
				"ACL_MEMCPY_INNER_DEVICE_TO_DEVICE between device %d and device %d",
				s->id, d->id);
	*eff = (aclrtMemcpyKind)((want_src_dev ? 2 : 0) | (want_dst_dev ? 1 : 0));
	/* 0 H2H, 1 H2D, 2 D2H, 3 D2D: aclrtMemcpyKind's first four */
	return ACL_SUCCESS;
}

static aclError check_copy(const char *api, void *dst, size_t destMax, const void *src,
			   size_t count, aclrtMemcpyKind kind, struct end *d, struct end *s,
			   aclrtMemcpyKind *eff)
{
	aclError ret;

	if (!dst || !src)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s is NULL", !dst ? "dst" : "src");
	if (!count)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "count must be greater than 0");
	if ((unsigned int)kind > ACL_MEMCPY_INTER_DEVICE_TO_DEVICE)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "unknown memcpy kind %d", (int)kind);
	if (count > destMax)
		return acl_fail(ACL_ERROR_RT_PARAM_INVALID, api,
				"count %zu is larger than destMax %zu", count, destMax);
	ret = locate(api, "src", src, count, s);
	if (!ret)
		ret = locate(api, "dst", dst, count, d);
	if (!ret)
		ret = check_kind(api, kind, d, s, eff);
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtMemcpy(void *dst, size_t destMax, const void *src, size_t count,
					 aclrtMemcpyKind kind)
{
	static const char api[] = "aclrtMemcpy";
	aclrtMemcpyKind eff;
	struct end d, s;
	aclError ret;

	ret = acl_check_init(api);
	if (ret)
		return ret;
	ret = check_copy(api, dst, destMax, src, count, kind, &d, &s, &eff);
	if (ret)
		return ret;
	switch (eff) {
	case ACL_MEMCPY_HOST_TO_HOST:
		memmove(dst, src, count);
		return ACL_SUCCESS;
	case ACL_MEMCPY_HOST_TO_DEVICE:
		return host_dev_sync(api, d.id, dst, (void *)src, count, true);
	case ACL_MEMCPY_DEVICE_TO_HOST:
		return host_dev_sync(api, s.id, (void *)src, dst, count, false);
	default:
		if (d.id != s.id)
			return inter_device(api, d.id, dst, s.id, src, count);
		return copy_on_copier(api, d.id, (uintptr_t)dst, (uintptr_t)src, count);
	}
}

/* Deferred work of asynchronous copies from unpinned host memory. */
struct async_staged {
	void *staging;		/* acl_pinned_alloc */
	void *user_dst;		/* D2H: copy here at completion */
	size_t len;
	void *pinned;		/* pinned on the fly: unregister at completion */
	int32_t dev;
};

static void async_done(void *arg)
{
	struct async_staged *a = arg;

	if (a->user_dst)
		memcpy(a->user_dst, a->staging, a->len);
	if (a->staging)
		acl_pinned_free(a->staging);
	if (a->pinned && halHostUnregister(a->pinned, (uint32_t)a->dev))
		ACL_LOG_WARN("aclrtMemcpyAsync: unpinning %p: %s", a->pinned, halVascendLastErrorMsg());
	free(a);
}

static aclError host_dev_async(const char *api, struct acl_stream *st, void *devp, void *host,
			       size_t len, bool to_dev)
{
	uint64_t d = (uintptr_t)devp, h = (uintptr_t)host, seq;
	struct async_staged *a;
	bool pinned;
	uint32_t n = 0;
	aclError ret;

	acl_lock();
	pinned = acl_pinned_for_locked(host, len, st->dev);
	acl_unlock();
	if (pinned)
		return submit_tasks(api, st, copy_tasks(to_dev ? d : h, to_dev ? h : d, len, &n), &n,
				    false, NULL);

	a = calloc(1, sizeof(*a));
	if (!a)
		return acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api, "no memory");
	a->dev = st->dev;
	a->len = len;
	if (len >= ACL_REGISTER_MIN)
		a->pinned = pin_range(host, len, st->dev, to_dev);
	if (!a->pinned) {
		/* stage: H2D takes the data now, D2H hands it over at completion */
		ret = acl_pinned_alloc(api, st->dev, len, &a->staging);
		if (ret) {
			free(a);
			return ret;
		}
		if (to_dev)
			memcpy(a->staging, host, len);
		else
			a->user_dst = host;
		h = (uintptr_t)a->staging;
	}
	ret = submit_tasks(api, st, copy_tasks(to_dev ? d : h, to_dev ? h : d, len, &n), &n, false,
			   &seq);
	if (!ret)
		ret = acl_stream_on_complete(api, st, seq, async_done, a);
	if (ret) {
		/* nothing in flight uses it, or we cannot track it: finish by waiting */
		if (seq)
			acl_stream_wait_obj(api, st, seq, -1);
		a->user_dst = NULL;
		async_done(a);
	}
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtMemcpyAsync(void *dst, size_t destMax, const void *src,
					      size_t count, aclrtMemcpyKind kind,
					      aclrtStream stream)
{
	static const char api[] = "aclrtMemcpyAsync";
	struct acl_stream *st;
	aclrtMemcpyKind eff;
	struct end d, s;
	aclError ret;
	int32_t dev;
	uint32_t n = 0;

	ret = acl_check_init(api);
	if (ret)
		return ret;
	ret = check_copy(api, dst, destMax, src, count, kind, &d, &s, &eff);
	if (ret)
		return ret;
	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	ret = acl_stream_resolve_locked(api, stream, &st);
	acl_unlock();
	if (ret)
		return ret;
	dev = eff == ACL_MEMCPY_HOST_TO_DEVICE ? d.id : s.id;
	if (eff != ACL_MEMCPY_HOST_TO_HOST && !(eff == ACL_MEMCPY_DEVICE_TO_DEVICE && d.id != s.id) &&
	    dev != st->dev)
		return acl_fail(ACL_ERROR_RT_PARAM_INVALID, api,
				"device memory of device %d on a stream of device %d", dev, st->dev);
	switch (eff) {
	case ACL_MEMCPY_HOST_TO_DEVICE:
		return host_dev_async(api, st, dst, (void *)src, count, true);
	case ACL_MEMCPY_DEVICE_TO_HOST:
		return host_dev_async(api, st, (void *)src, dst, count, false);
	case ACL_MEMCPY_DEVICE_TO_DEVICE:
		if (d.id == s.id)
			return submit_tasks(api, st,
					    copy_tasks((uintptr_t)dst, (uintptr_t)src, count, &n), &n,
					    false, NULL);
		/* between cards: in order with the stream, then through the host */
		ret = acl_stream_wait_obj(api, st, 0, -1);
		return ret ? ret : inter_device(api, d.id, dst, s.id, src, count);
	default:
		/* host to host: in order with the stream's earlier work */
		ret = acl_stream_wait_obj(api, st, 0, -1);
		if (!ret)
			memmove(dst, src, count);
		return ret;
	}
}

static aclError check_set(const char *api, void *devPtr, size_t maxCount, size_t count,
			  struct end *e)
{
	if (!devPtr)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "devPtr is NULL");
	if (!count)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "count must be greater than 0");
	if (count > maxCount)
		return acl_fail(ACL_ERROR_RT_PARAM_INVALID, api, "count %zu is larger than maxCount %zu",
				count, maxCount);
	return locate(api, "devPtr", devPtr, count, e);
}

ACL_FUNC_VISIBILITY aclError aclrtMemset(void *devPtr, size_t maxCount, int32_t value, size_t count)
{
	static const char api[] = "aclrtMemset";
	struct acl_copier *c;
	struct end e;
	aclError ret;
	uint32_t n = 0;

	ret = acl_check_init(api);
	if (ret)
		return ret;
	ret = check_set(api, devPtr, maxCount, count, &e);
	if (ret)
		return ret;
	if (!e.dev) {
		/* host memory, told apart by the address as CANN does */
		memset(devPtr, value, count);
		return ACL_SUCCESS;
	}
	ret = acl_copier_get(api, e.id, &c);
	if (ret)
		return ret;
	ret = submit_tasks(api, c->stream, set_tasks((uintptr_t)devPtr, (uint8_t)value, count, &n),
			   &n, true, NULL);
	acl_copier_put(c);
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtMemsetAsync(void *devPtr, size_t maxCount, int32_t value,
					      size_t count, aclrtStream stream)
{
	static const char api[] = "aclrtMemsetAsync";
	struct acl_stream *st;
	struct end e;
	aclError ret;
	uint32_t n = 0;

	ret = acl_check_init(api);
	if (ret)
		return ret;
	ret = check_set(api, devPtr, maxCount, count, &e);
	if (ret)
		return ret;
	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	ret = acl_stream_resolve_locked(api, stream, &st);
	acl_unlock();
	if (ret)
		return ret;
	if (!e.dev) {
		ret = acl_stream_wait_obj(api, st, 0, -1);
		if (!ret)
			memset(devPtr, value, count);
		return ret;
	}
	if (e.id != st->dev)
		return acl_fail(ACL_ERROR_RT_PARAM_INVALID, api,
				"device memory of device %d on a stream of device %d", e.id, st->dev);
	return submit_tasks(api, st, set_tasks((uintptr_t)devPtr, (uint8_t)value, count, &n), &n,
			    false, NULL);
}
