/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * aop's use of oneDNN (C API, dnnl.h): one CPU engine for the process, a
 * stream per execution, the OpenMP thread count matched to the launch's
 * context, and status mapping. Primitives are created per launch; oneDNN's
 * own primitive cache makes a repeated shape cheap.
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

/* Reorder @src into @dst (both memories on the engine) and wait. */
dnnl_status_t aop_dnnl_reorder(dnnl_memory_t src, dnnl_memory_t dst);

#endif /* AOP_DNNL_H */
