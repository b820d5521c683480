// SPDX-License-Identifier: MIT
/*
 * Contexts: the implicit default context of each device (aclrtSetDevice),
 * explicit ones (aclrtCreateContext), and each thread's current context,
 * which decides the thread's current device and default stream.
 *
 * A thread's current context is a plain pointer checked against the list
 * of live contexts whenever it is used, so a destroyed or reset context is
 * noticed (ACL_ERROR_RT_CONTEXT_NULL) instead of being used.
 */
#include <stdlib.h>

#include "acl_error.h"
#include "acl_log.h"
#include "acl_runtime.h"

static _Thread_local struct acl_context *tls_ctx;

bool acl_context_live_locked(const struct acl_context *ctx)
{
	const struct acl_context *c;

	for (c = acl_rt.contexts; c; c = c->next)
		if (c == ctx)
			return c->magic == ACL_MAGIC_CONTEXT;
	return false;
}

struct acl_context *acl_current_context_locked(void)
{
	if (tls_ctx && !acl_context_live_locked(tls_ctx))
		tls_ctx = NULL;
	return tls_ctx;
}

void acl_set_current_context(struct acl_context *ctx)
{
	tls_ctx = ctx;
}

struct acl_context *acl_context_new_locked(int32_t dev, bool is_default)
{
	struct acl_context *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->magic = ACL_MAGIC_CONTEXT;
	c->dev = dev;
	c->is_default = is_default;
	c->next = acl_rt.contexts;
	acl_rt.contexts = c;
	return c;
}

/* Its streams (after their work) and itself; the caller adjusts the device's counts. */
void acl_context_free_locked(struct acl_context *ctx)
{
	struct acl_context **link;
	struct acl_stream *s;

	for (link = &acl_rt.contexts; *link; link = &(*link)->next) {
		if (*link == ctx) {
			*link = ctx->next;
			break;
		}
	}
	ctx->magic = 0;
	/* the list changes while a stream is freed (the lock is dropped): rescan */
	for (s = acl_rt.streams; s;) {
		if (s->ctx == ctx) {
			acl_stream_free_locked(s);
			s = acl_rt.streams;
		} else {
			s = s->next;
		}
	}
	free(ctx);
}

ACL_FUNC_VISIBILITY aclError aclrtCreateContext(aclrtContext *context, int32_t deviceId)
{
	static const char api[] = "aclrtCreateContext";
	struct acl_context *c;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!context) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "context is NULL");
		goto unlock;
	}
	if (deviceId < 0 || deviceId >= ACL_MAX_DEVICES) {
		ret = acl_fail(ACL_ERROR_RT_INVALID_DEVICEID, api,
			       "device id %d is out of range [0, %d)", deviceId, ACL_MAX_DEVICES);
		goto unlock;
	}
	ret = acl_device_get_locked(api, deviceId);
	if (ret)
		goto unlock;
	c = acl_context_new_locked(deviceId, false);
	if (!c) {
		acl_device_put_locked(deviceId);
		ret = acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api, "no memory for a context");
		goto unlock;
	}
	acl_rt.dev[deviceId].ctx_refs++;
	/* as in CANN: the new context becomes the calling thread's */
	tls_ctx = c;
	*context = c;
unlock:
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtDestroyContext(aclrtContext context)
{
	static const char api[] = "aclrtDestroyContext";
	struct acl_context *c = context;
	aclError ret;
	int32_t dev;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!c) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "context is NULL");
	} else if (!acl_context_live_locked(c)) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "%p is not a live context", context);
	} else if (c->is_default) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api,
			       "%p is device %d's default context: aclrtResetDevice releases it",
			       context, c->dev);
	} else {
		dev = c->dev;
		if (tls_ctx == c)
			tls_ctx = NULL;
		acl_context_free_locked(c);
		acl_rt.dev[dev].ctx_refs--;
		acl_device_put_locked(dev);
	}
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtSetCurrentContext(aclrtContext context)
{
	static const char api[] = "aclrtSetCurrentContext";
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!context)
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "context is NULL");
	else if (!acl_context_live_locked(context))
		ret = acl_fail(ACL_ERROR_RT_CONTEXT_NULL, api,
			       "%p is not a live context (destroyed, or its device was reset)",
			       context);
	else
		tls_ctx = context;
	acl_unlock();
	return ret;
}

ACL_FUNC_VISIBILITY aclError aclrtGetCurrentContext(aclrtContext *context)
{
	static const char api[] = "aclrtGetCurrentContext";
	struct acl_context *c;
	aclError ret;

	ret = acl_lock_initialized(api);
	if (ret)
		return ret;
	if (!context) {
		ret = acl_fail(ACL_ERROR_INVALID_PARAM, api, "context is NULL");
	} else {
		c = acl_current_context_locked();
		if (c)
			*context = c;
		else
			ret = acl_fail(ACL_ERROR_RT_CONTEXT_NULL, api,
				       "no current context in this thread; call aclrtSetDevice or "
				       "aclrtCreateContext first");
	}
	acl_unlock();
	return ret;
}
