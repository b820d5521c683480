/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * aop's oneDNN plumbing: see aop_dnnl.h.
 */
#include <omp.h>
#include <pthread.h>
#include <stdlib.h>

#include "aop_dnnl.h"

/* Primitives a thread keeps (BlazeFace needs about 60). */
#define PRIM_SLOTS      128

static pthread_once_t engine_once = PTHREAD_ONCE_INIT;
static dnnl_engine_t engine;    /* set once, then read-only */

static void engine_init(void)
{
    if (dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success) {
        engine = NULL;
    }
}

dnnl_engine_t aop_dnnl_engine(void)
{
    pthread_once(&engine_once, engine_init);
    return engine;
}

void aop_dnnl_threads(uint32_t threads)
{
    /* An OpenMP ICV of the calling thread: no other launch is affected. */
    if (omp_get_max_threads() != (int)threads) {
        omp_set_num_threads((int)threads);
    }
}

int aop_dnnl_fail(struct aop_launch *l, const char *what, dnnl_status_t st)
{
    return aop_fail(l, AOP_E_INTERNAL, AOP_OPERAND_NONE,
                    "oneDNN %s failed (status %d)", what, (int)st);
}

dnnl_status_t aop_dnnl_md(dnnl_memory_desc_t *md, int ndim,
                          const int64_t *dims, dnnl_data_type_t dt,
                          dnnl_format_tag_t tag)
{
    dnnl_dims_t d;

    for (int i = 0; i < ndim; i++) {
        d[i] = dims[i];
    }
    return dnnl_memory_desc_init_by_tag(md, ndim, d, dt, tag);
}

dnnl_status_t aop_dnnl_exec(dnnl_primitive_t prim, int n,
                            const dnnl_exec_arg_t *args)
{
    dnnl_stream_t s;
    dnnl_status_t st;

    st = dnnl_stream_create(&s, aop_dnnl_engine(), dnnl_stream_default_flags);
    if (st != dnnl_success) {
        return st;
    }
    st = dnnl_primitive_execute(prim, s, n, args);
    if (st == dnnl_success) {
        st = dnnl_stream_wait(s);
    }
    dnnl_stream_destroy(s);
    return st;
}

/* ---- the per-thread primitive cache ---- */

/*
 * One cached primitive. The owning thread fills and evicts it; any thread
 * may give a reference back. @refs and @orphan are under slot_lock.
 */
struct prim_slot {
    void *key;
    size_t len;
    int threads;
    dnnl_primitive_t prim;
    dnnl_memory_desc_t wei_md;
    uint64_t used;              /* the owner's clock at the last get */
    unsigned int refs;          /* launches holding it */
    bool orphan;                /* its thread is gone: the last put frees */
};

struct prim_cache {
    struct prim_slot *slot[PRIM_SLOTS];
    uint64_t clock;
};

static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t stat_hits, stat_made;   /* atomics */
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static pthread_key_t cache_key;
static bool cache_key_ok;
static __thread struct prim_cache *thread_cache;

static void slot_free(struct prim_slot *s)
{
    dnnl_primitive_destroy(s->prim);
    free(s->key);
    free(s);
}

/* The thread exits: free what no launch holds, orphan the rest. */
static void cache_free(void *arg)
{
    struct prim_cache *c = arg;

    pthread_mutex_lock(&slot_lock);
    for (unsigned int i = 0; i < PRIM_SLOTS; i++) {
        struct prim_slot *s = c->slot[i];
        if (s && s->refs) {
            s->orphan = true;
        } else if (s) {
            slot_free(s);
        }
    }
    pthread_mutex_unlock(&slot_lock);
    free(c);
}

static void cache_key_init(void)
{
    cache_key_ok = pthread_key_create(&cache_key, cache_free) == 0;
}

/* This thread's cache, NULL when it cannot have one (no caching then). */
static struct prim_cache *cache(void)
{
    if (!thread_cache) {
        pthread_once(&cache_once, cache_key_init);
        if (!cache_key_ok) {
            return NULL;
        }
        thread_cache = calloc(1, sizeof(*thread_cache));
        if (thread_cache &&
            pthread_setspecific(cache_key, thread_cache)) {
            free(thread_cache);
            thread_cache = NULL;
        }
    }
    return thread_cache;
}

/* Under slot_lock: a slot of @c to fill (emptied), or -1 when all are held. */
static int slot_victim(struct prim_cache *c)
{
    int v = -1;

    for (int i = 0; i < PRIM_SLOTS; i++) {
        struct prim_slot *s = c->slot[i];
        if (!s) {
            return i;
        }
        if (!s->refs && (v < 0 || s->used < c->slot[v]->used)) {
            v = i;
        }
    }
    if (v >= 0) {
        slot_free(c->slot[v]);
        c->slot[v] = NULL;
    }
    return v;
}

dnnl_status_t aop_dnnl_prim_get(const void *key, size_t len,
                                aop_dnnl_pd_fn make, const void *arg,
                                struct aop_dnnl_prim *out)
{
    struct prim_cache *c = cache();
    int threads = omp_get_max_threads(), v;
    dnnl_primitive_desc_t pd;
    const dnnl_memory_desc_t *w;
    struct prim_slot *s;
    dnnl_status_t st;

    memset(out, 0, sizeof(*out));
    pthread_mutex_lock(&slot_lock);
    for (unsigned int i = 0; c && i < PRIM_SLOTS; i++) {
        s = c->slot[i];
        if (s && s->len == len && s->threads == threads &&
            !memcmp(s->key, key, len)) {
            s->refs++;
            s->used = ++c->clock;
            out->prim = s->prim;
            out->wei_md = s->wei_md;
            out->slot = s;
            pthread_mutex_unlock(&slot_lock);
            __atomic_add_fetch(&stat_hits, 1, __ATOMIC_RELAXED);
            return dnnl_success;
        }
    }
    pthread_mutex_unlock(&slot_lock);
    __atomic_add_fetch(&stat_made, 1, __ATOMIC_RELAXED);

    st = make(&pd, arg);
    if (st != dnnl_success) {
        return st;
    }
    w = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
    if (w) {
        out->wei_md = *w;
    }
    st = dnnl_primitive_create(&out->prim, pd);
    dnnl_primitive_desc_destroy(pd);
    if (st != dnnl_success) {
        out->prim = NULL;
        return st;
    }
    s = c ? calloc(1, sizeof(*s)) : NULL;
    if (s) {
        s->key = malloc(len);
    }
    if (!s || !s->key) {
        free(s);
        return dnnl_success;    /* uncached: put destroys it */
    }
    memcpy(s->key, key, len);
    s->len = len;
    s->threads = threads;
    s->prim = out->prim;
    s->wei_md = out->wei_md;
    s->refs = 1;
    pthread_mutex_lock(&slot_lock);
    v = slot_victim(c);
    if (v >= 0) {
        s->used = ++c->clock;
        c->slot[v] = s;
        out->slot = s;
    }
    pthread_mutex_unlock(&slot_lock);
    if (v < 0) {
        free(s->key);
        free(s);
    }
    return dnnl_success;
}

void aop_dnnl_prim_put(struct aop_dnnl_prim *p)
{
    struct prim_slot *s = p->slot;

    if (!p->prim) {
        return;
    }
    if (!s) {
        dnnl_primitive_destroy(p->prim);
    } else {
        pthread_mutex_lock(&slot_lock);
        if (!--s->refs && s->orphan) {
            slot_free(s);
        }
        pthread_mutex_unlock(&slot_lock);
    }
    memset(p, 0, sizeof(*p));
}

void aop_dnnl_prim_stats(uint64_t *hits, uint64_t *made)
{
    *hits = __atomic_load_n(&stat_hits, __ATOMIC_RELAXED);
    *made = __atomic_load_n(&stat_made, __ATOMIC_RELAXED);
}

static dnnl_status_t reorder_pd(dnnl_primitive_desc_t *pd, const void *arg)
{
    const dnnl_memory_desc_t *md = arg;

    return dnnl_reorder_primitive_desc_create(pd, &md[0], aop_dnnl_engine(),
                                              &md[1], aop_dnnl_engine(),
                                              NULL);
}

dnnl_status_t aop_dnnl_reorder(dnnl_memory_t src, dnnl_memory_t dst)
{
    const dnnl_memory_desc_t *smd, *dmd;
    dnnl_memory_desc_t key[2];
    struct aop_dnnl_prim r;
    dnnl_status_t st;
    dnnl_exec_arg_t args[2];

    dnnl_memory_get_memory_desc(src, &smd);
    dnnl_memory_get_memory_desc(dst, &dmd);
    key[0] = *smd;
    key[1] = *dmd;
    st = aop_dnnl_prim_get(key, sizeof(key), reorder_pd, key, &r);
    if (st != dnnl_success) {
        return st;
    }
    args[0] = (dnnl_exec_arg_t){ DNNL_ARG_FROM, src };
    args[1] = (dnnl_exec_arg_t){ DNNL_ARG_TO, dst };
    st = aop_dnnl_exec(r.prim, 2, args);
    aop_dnnl_prim_put(&r);
    return st;
}
