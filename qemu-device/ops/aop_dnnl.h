/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * aop's use of oneDNN (C API, dnnl.h): one CPU engine for the process, a
 * stream per execution, the OpenMP thread count matched to the launch's
 * context, status mapping, and a per-thread cache of primitives.
 *
 * oneDNN's own cache keeps primitives, but a primitive descriptor is made
 * again for every lookup, walking the implementations: 5-20 us for a
 * convolution, as much as running a small one, and BlazeFace has 37 of
 * them per execution plus a weights reorder each. aop_dnnl_prim_get()
 * keeps the primitive itself, per thread (oneDNN as Debian builds it keeps
 * a primitive's scratchpad per thread, so a primitive runs on the thread
 * that created it), keyed by the bytes that define it and the thread's
 * OpenMP thread count.
 */
#ifndef AOP_DNNL_H
#define AOP_DNNL_H

#include <dnnl.h>

#include "aop_internal.h"

/* The process's CPU engine; NULL when oneDNN cannot make one. */
dnnl_engine_t aop_dnnl_engine(void);
/* Use @threads OpenMP threads for oneDNN work started by this thread. */
void aop_dnnl_threads(uint32_t threads);
/* Fail the launch with AOP_E_INTERNAL naming the oneDNN call. */
int aop_dnnl_fail(struct aop_launch *l, const char *what, dnnl_status_t st);

/* A plain memory descriptor: @ndim dims of fp32 in @tag layout. */
dnnl_status_t aop_dnnl_md(dnnl_memory_desc_t *md, int ndim,
                          const int64_t *dims, dnnl_data_type_t dt,
                          dnnl_format_tag_t tag);

/*
 * Execute primitive @prim with @n (arg, memory) pairs on a fresh stream
 * and wait. Returns the first failing status.
 */
dnnl_status_t aop_dnnl_exec(dnnl_primitive_t prim, int n,
                            const dnnl_exec_arg_t *args);

/* A primitive from aop_dnnl_prim_get(); aop_dnnl_prim_put() when done. */
struct aop_dnnl_prim {
    dnnl_primitive_t prim;
    dnnl_memory_desc_t wei_md;  /* the weights layout it wants, if any */
    void *slot;                 /* the cache's entry; NULL: not cached */
};

/* Make the primitive descriptor that @arg describes. */
typedef dnnl_status_t (*aop_dnnl_pd_fn)(dnnl_primitive_desc_t *pd,
                                        const void *arg);

/*
 * The calling thread's primitive for @key (@len bytes that fully define
 * it: an op descriptor zeroed before its init, or memory descriptors),
 * made with @make(@arg) when the cache has none. Cached primitives stay
 * until evicted (least recently used, never while a launch holds one) or
 * the thread exits. Returns the status of making it.
 */
dnnl_status_t aop_dnnl_prim_get(const void *key, size_t len,
                                aop_dnnl_pd_fn make, const void *arg,
                                struct aop_dnnl_prim *out);
/* Give back a primitive (any thread); a no-op on an empty one. */
void aop_dnnl_prim_put(struct aop_dnnl_prim *p);
/* Process totals: gets answered from a cache, and primitives made. */
void aop_dnnl_prim_stats(uint64_t *hits, uint64_t *made);

/* Reorder @src into @dst (both memories on the engine) and wait. */
dnnl_status_t aop_dnnl_reorder(dnnl_memory_t src, dnnl_memory_t dst);

#endif /* AOP_DNNL_H */
