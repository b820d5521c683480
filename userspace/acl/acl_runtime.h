/* SPDX-License-Identifier: MIT */
/*
 * The runtime's own state, shared by its concern files (acl_init.c,
 * acl_device.c, acl_context.c, acl_stream.c, acl_event.c, acl_mem.c,
 * acl_memcpy.c, acl_callback.c). Other parts of libascendcl use
 * acl_internal.h only.
 *
 * Per process: devices (set counts, their streams for synchronous copies,
 * pinned slots), contexts, streams, events, aclrtMallocHost blocks, report
 * subscriptions. Per thread: the current context (acl_context.c) and the
 * last error message (acl_error.c).
 *
 * Locking: acl_rt.lock protects everything in struct acl_runtime and in the
 * objects it lists. It is held for bookkeeping and short ioctls (stream
 * create/destroy, registration), never across a wait for the device: waits
 * and copies run unlocked with what they looked up. Lock order: acl_rt.lock
 * before any HAL lock (the HAL never calls back).
 */
#ifndef VASCEND_ACL_RUNTIME_H
#define VASCEND_ACL_RUNTIME_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "acl_internal.h"
#include "vascend_queue_hw.h"

#define ACL_MAGIC_CONTEXT	0x41435458u	/* "ACTX" */
#define ACL_MAGIC_STREAM	0x4153544du	/* "ASTM" */
#define ACL_MAGIC_EVENT		0x4145564eu	/* "AEVN" */

/* Streams per device for synchronous copies (one copy each at a time). */
#define ACL_COPIERS		4
/* Each copier's pinned bounce buffer, used as two halves in turn. */
#define ACL_BOUNCE_SIZE		(4u << 20)
/* Most bytes one MEMCPY/MEMSET task moves (VASCEND_MAX_XFER_LEN). */
#define ACL_MAX_XFER		(64ull << 20)
/* Task types remembered per stream, to name the type of a failed task. */
#define ACL_TYPE_RING		256

struct acl_deferred {
	uint64_t seq;
	void (*fn)(void *arg);
	void *arg;
	struct acl_deferred *next;
};

struct acl_context {
	uint32_t magic;
	int32_t dev;
	bool is_default;	/* the device's implicit context (aclrtSetDevice) */
	struct acl_stream *default_stream;	/* created on first use */
	struct acl_context *next;
};

struct acl_sub;

struct acl_stream {
	uint32_t magic;
	int32_t dev;
	uint32_t sid;		/* the HAL's stream id */
	bool is_default;
	bool internal;		/* a copier: not in the context's list of user streams */
	struct acl_context *ctx;
	uint64_t last_seq;	/* atomic: the last task submitted */
	uint8_t types[ACL_TYPE_RING];	/* VASCEND_TASK_* of seq s at s % ring */
	struct acl_deferred *deferred;	/* sorted by seq */
	struct acl_sub *sub;	/* the thread that runs its callbacks */
	struct acl_stream *next;
};

struct acl_event {
	uint32_t magic;
	int32_t dev;
	uint32_t flag;
	struct vascend_event_slot *slot;	/* pinned host memory the card writes */
	uint64_t value;			/* of the last record: 0 none */
	struct acl_stream *rec_stream;
	uint64_t rec_seq;
	struct acl_event *next;
};

/* A page of 16-byte slots the card writes (EVENT_RECORD, NOTIFY), pinned for one device. */
#define ACL_SLOTS_PER_SLAB	(4096 / 16)
struct acl_slab {
	struct vascend_event_slot *mem;
	uint8_t used[ACL_SLOTS_PER_SLAB];
	unsigned int n_used;
	struct acl_slab *next;
};

struct acl_copier {
	struct acl_stream *stream;
	uint8_t *bounce;	/* pinned for the device, ACL_BOUNCE_SIZE; NULL until needed */
	bool busy;
};

struct acl_pinned {
	void *ptr;
	size_t size;		/* page multiple */
	uint64_t devs;		/* bit d: registered for device d */
	bool host_block;	/* aclrtMallocHost (else acl_pinned_alloc) */
	struct acl_pinned *next;
};

struct acl_device {
	unsigned int set_refs;	/* aclrtSetDevice calls not yet reset */
	unsigned int ctx_refs;	/* explicit contexts alive */
	bool open;
	struct halVascendDeviceInfo info;
	struct acl_context *default_ctx;
	struct acl_copier copiers[ACL_COPIERS];
	struct acl_slab *slabs;
	struct halVascendOpEntry *ops;	/* NULL until first acl_op_lookup */
	uint32_t n_ops;
};

struct acl_runtime {
	pthread_mutex_t lock;
	pthread_cond_t copier_free;	/* a copier became free */
	bool initialized;
	bool finalized;		/* aclFinalize ran after the last aclInit */
	struct acl_device dev[ACL_MAX_DEVICES];
	struct acl_context *contexts;
	struct acl_stream *streams;
	struct acl_event *events;
	struct acl_pinned *pinned;
	struct acl_sub *subs;
	char soc_name[ACL_MAX_DEVICES][HAL_VASCEND_SOC_NAME_MAX];	/* handed out, never freed */
};

extern struct acl_runtime acl_rt;

static inline void acl_lock(void)
{
	pthread_mutex_lock(&acl_rt.lock);
}

static inline void acl_unlock(void)
{
	pthread_mutex_unlock(&acl_rt.lock);
}

/* Take the lock and check aclInit ran; on failure the lock is not held (error recorded). */
aclError acl_lock_initialized(const char *api);

/* ---- acl_device.c ---- */
aclError acl_device_get_locked(const char *api, int32_t dev);	/* open on first use */
void acl_device_put_locked(int32_t dev);			/* the last user tears down */
void acl_device_close_all_locked(void);
bool acl_device_live_locked(int32_t dev);

/* ---- acl_context.c ---- */
struct acl_context *acl_context_new_locked(int32_t dev, bool is_default);
void acl_context_free_locked(struct acl_context *ctx);
/* The calling thread's current context if still live, else NULL. */
struct acl_context *acl_current_context_locked(void);
void acl_set_current_context(struct acl_context *ctx);
bool acl_context_live_locked(const struct acl_context *ctx);

/* ---- acl_stream.c ---- */
/* @stream as the user passed it (NULL: default stream) -> the object, or an error recorded. */
aclError acl_stream_resolve_locked(const char *api, aclrtStream stream, struct acl_stream **out);
aclError acl_stream_new_locked(const char *api, int32_t dev, struct acl_context *ctx,
			       bool internal, struct acl_stream **out);
/* Abort its tasks, run its deferred work, free it (lock held, dropped and retaken inside). */
void acl_stream_free_locked(struct acl_stream *s);
bool acl_stream_live_locked(const struct acl_stream *s);
/* Submit/wait on an object looked up under the lock (same semantics as the API versions). */
aclError acl_stream_submit_obj(const char *api, struct acl_stream *s,
			       const struct vascend_task *tasks, uint32_t n, uint64_t *seq);
aclError acl_stream_wait_obj(const char *api, struct acl_stream *s, uint64_t seq,
			     int32_t timeout_ms);
/* Take/return one of device @dev's copier streams (waits while all are busy). */
aclError acl_copier_get(const char *api, int32_t dev, struct acl_copier **out);
void acl_copier_put(struct acl_copier *c);
void acl_copiers_free_locked(int32_t dev);

/* ---- acl_event.c / slots ---- */
/* A zeroed 16-byte slot the card @dev can write; NULL on failure (recorded). */
struct vascend_event_slot *acl_slot_get_locked(const char *api, int32_t dev);
void acl_slot_put_locked(int32_t dev, struct vascend_event_slot *slot);
/*
 * Give @slot back once task @seq of @stream has run (a task still to run
 * reads or writes it; a slot given back at once can be handed out and
 * zeroed under it). Not locked. If that cannot be arranged (no memory,
 * the stream is gone: its work is over), at once.
 */
void acl_slot_put_after(const char *api, struct acl_stream *stream, uint64_t seq, int32_t dev,
			struct vascend_event_slot *slot);
void acl_slabs_free_locked(int32_t dev);
void acl_events_of_device_free_locked(int32_t dev);

/* ---- acl_mem.c ---- */
/* The pinned block containing [p, p + len) registered for @dev (registering it now if needed). */
bool acl_pinned_for_locked(const void *p, size_t len, int32_t dev);
void acl_pinned_drop_device_locked(int32_t dev);
void acl_pinned_free_all_locked(void);

/* ---- acl_callback.c ---- */
void acl_sub_detach_stream_locked(struct acl_stream *s);
void acl_subs_free_all_locked(void);

/* ---- acl_log.c: where the log file is (NULL: none yet). ---- */
const char *acl_log_file_path(void);

#endif /* VASCEND_ACL_RUNTIME_H */
