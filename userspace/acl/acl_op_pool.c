// SPDX-License-Identifier: MIT
/*
 * The descriptor pool: pinned host memory the card reads op descriptors
 * (and the small constant inputs that travel with them) from, reused from
 * call to call. A KERNEL_LAUNCH names its descriptor by address; the card
 * reads it through its MMU when the launch starts, so the bytes must stay
 * unchanged until the task has run (acl_stream_on_complete says when).
 *
 * Per device: chunks of ACL_OP_CHUNK bytes, allocated with a bump pointer.
 * A chunk counts its live blocks; it is rewound when the count drops to
 * zero, so a program that runs one op and synchronises keeps reusing the
 * first bytes of one chunk. Blocks larger than a chunk get pinned memory of
 * their own, freed when released. When every chunk is busy the caller's
 * stream is queried (which runs completion callbacks), then waited for;
 * only when other streams hold every chunk does the pool grow beyond
 * ACL_OP_MAX_CHUNKS.
 *
 * A block handle is its chunk, so releasing needs no per-block memory.
 * Chunk structs are host memory; the pinned bytes go with the device (the
 * runtime frees them at its reset and calls acl_op_pool_device_reset()
 * first), the structs only once no block is live.
 */
#include <pthread.h>
#include <stdlib.h>

#include "acl_internal.h"
#include "acl_op_internal.h"

#define ACL_OP_CHUNK		(256u * 1024)
#define ACL_OP_MAX_CHUNKS	16
#define ALIGN64(x)		(((x) + 63) & ~(size_t)63)

struct acl_op_block {
	struct acl_op_block *next;	/* in the device's chunk list */
	int32_t dev;
	bool dedicated;			/* one block of its own size */
	bool dead;			/* the device was reset: bytes gone */
	uint8_t *mem;			/* pinned */
	size_t size;
	size_t used;			/* bump pointer */
	unsigned int live;		/* blocks handed out, not released */
};

struct op_pool {
	/*
	 * Protects everything in this struct and every chunk of the device.
	 * Taken inside the runtime's lock (acl_op_pool_device_reset), so it is
	 * never held across a call into the runtime.
	 */
	pthread_mutex_t lock;
	struct acl_op_block *chunks;	/* including dedicated blocks */
	struct acl_op_block *cur;	/* where new blocks come from */
	unsigned int nchunks;		/* shared chunks, not dedicated */
};

static struct op_pool pools[ACL_MAX_DEVICES];
static pthread_once_t pools_once = PTHREAD_ONCE_INIT;

static void pools_init(void)
{
	for (int i = 0; i < ACL_MAX_DEVICES; i++)
		pthread_mutex_init(&pools[i].lock, NULL);
}

static void unlink_chunk_locked(struct op_pool *p, struct acl_op_block *c)
{
	for (struct acl_op_block **pp = &p->chunks; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	if (p->cur == c)
		p->cur = NULL;
	if (!c->dedicated)
		p->nchunks--;
}

static struct acl_op_block *chunk_new(const char *api, int32_t dev, size_t size, bool dedicated,
				      aclError *rc)
{
	struct acl_op_block *c = calloc(1, sizeof(*c));
	void *mem;

	if (!c) {
		*rc = acl_fail(ACL_ERROR_RT_MEMORY_ALLOCATION, api, "out of host memory for op descriptors");
		return NULL;
	}
	*rc = acl_pinned_alloc(api, dev, size, &mem);
	if (*rc) {
		free(c);
		return NULL;
	}
	c->dev = dev;
	c->dedicated = dedicated;
	c->mem = mem;
	c->size = size;
	return c;
}

/* A block of @size from an existing chunk, with @p->lock held; NULL if none has room. */
static struct acl_op_block *take_locked(struct op_pool *p, size_t size, void **host)
{
	struct acl_op_block *c = p->cur;

	if (!c || c->used + size > c->size) {
		/* a chunk nobody uses any more is as good as new */
		for (c = p->chunks; c; c = c->next)
			if (!c->dedicated && !c->live)
				break;
		if (!c)
			return NULL;
		c->used = 0;
		p->cur = c;
	}
	*host = c->mem + c->used;
	c->used += size;
	c->live++;
	return c;
}

aclError acl_op_pool_get(const char *api, int32_t dev, aclrtStream stream, size_t size,
			 struct acl_op_block **blk, void **host)
{
	struct op_pool *p;
	struct acl_op_block *c;
	aclError rc;

	pthread_once(&pools_once, pools_init);
	if (dev < 0 || dev >= ACL_MAX_DEVICES)
		return acl_fail(ACL_ERROR_INTERNAL_ERROR, api, "op pool: device %d out of range", dev);
	p = &pools[dev];
	size = ALIGN64(size);
	if (size > ACL_OP_CHUNK / 4) {
		/* large: pinned memory of its own, released with the block */
		c = chunk_new(api, dev, size, true, &rc);
		if (!c)
			return rc;
		c->used = size;
		c->live = 1;
		pthread_mutex_lock(&p->lock);
		c->next = p->chunks;
		p->chunks = c;
		pthread_mutex_unlock(&p->lock);
		*blk = c;
		*host = c->mem;
		return ACL_SUCCESS;
	}
	for (int attempt = 0;; attempt++) {
		pthread_mutex_lock(&p->lock);
		c = take_locked(p, size, host);
		if (c || p->nchunks < ACL_OP_MAX_CHUNKS || attempt == 2) {
			if (!c) {
				pthread_mutex_unlock(&p->lock);
				c = chunk_new(api, dev, ACL_OP_CHUNK, false, &rc);
				if (!c)
					return rc;
				pthread_mutex_lock(&p->lock);
				c->next = p->chunks;
				p->chunks = c;
				p->nchunks++;
				p->cur = c;
				*host = c->mem;
				c->used = size;
				c->live = 1;
			}
			pthread_mutex_unlock(&p->lock);
			*blk = c;
			return ACL_SUCCESS;
		}
		pthread_mutex_unlock(&p->lock);
		/*
		 * Every chunk is busy: let completions of this stream release
		 * theirs (a query runs the callbacks), then wait for them.
		 */
		rc = acl_stream_wait(api, stream, 0, attempt == 0 ? 0 : -1);
		if (rc && rc != ACL_ERROR_RT_STREAM_SYNC_TIMEOUT)
			return rc;
	}
}

void acl_op_pool_put(struct acl_op_block *c)
{
	struct op_pool *p;

	if (!c)
		return;
	p = &pools[c->dev];
	pthread_mutex_lock(&p->lock);
	if (--c->live) {
		pthread_mutex_unlock(&p->lock);
		return;
	}
	if (c->dedicated || c->dead) {
		bool dead = c->dead;

		if (!dead)
			unlink_chunk_locked(p, c);
		/* acl_pinned_free takes the runtime's lock: never under ours */
		pthread_mutex_unlock(&p->lock);
		if (!dead)
			acl_pinned_free(c->mem);
		free(c);
		return;
	}
	if (p->cur == c)
		c->used = 0;	/* idle: start again at the beginning */
	pthread_mutex_unlock(&p->lock);
}

static void put_cb(void *arg)
{
	acl_op_pool_put(arg);
}

aclError acl_op_pool_put_after(const char *api, aclrtStream stream, uint64_t seq, struct acl_op_block *blk)
{
	aclError rc = acl_stream_on_complete(api, stream, seq, put_cb, blk);

	if (rc) {
		/* could not arrange a callback: the task must finish first */
		rc = acl_stream_wait(api, stream, seq, -1);
		acl_op_pool_put(blk);
	}
	return rc;
}

void acl_op_pool_device_reset(int32_t dev)
{
	struct op_pool *p;
	struct acl_op_block *c, *next;

	pthread_once(&pools_once, pools_init);
	if (dev < 0 || dev >= ACL_MAX_DEVICES)
		return;
	p = &pools[dev];
	pthread_mutex_lock(&p->lock);
	for (c = p->chunks; c; c = next) {
		next = c->next;
		/* the runtime frees the pinned bytes itself */
		if (c->live) {
			c->dead = true;
			c->next = NULL;
		} else {
			free(c);
		}
	}
	p->chunks = NULL;
	p->cur = NULL;
	p->nchunks = 0;
	pthread_mutex_unlock(&p->lock);
}

void acl_op_pool_stats(int32_t dev, unsigned int *live, unsigned int *chunks)
{
	struct op_pool *p;

	pthread_once(&pools_once, pools_init);
	*live = 0;
	*chunks = 0;
	if (dev < 0 || dev >= ACL_MAX_DEVICES)
		return;
	p = &pools[dev];
	pthread_mutex_lock(&p->lock);
	for (struct acl_op_block *c = p->chunks; c; c = c->next) {
		*live += c->live;
		*chunks += !c->dedicated;
	}
	pthread_mutex_unlock(&p->lock);
}
