/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * aop's oneDNN plumbing: see aop_dnnl.h.
 */
#include <omp.h>
#include <pthread.h>

#include "aop_dnnl.h"

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

dnnl_status_t aop_dnnl_reorder(dnnl_memory_t src, dnnl_memory_t dst)
{
    const dnnl_memory_desc_t *smd, *dmd;
    dnnl_primitive_desc_t pd;
    dnnl_primitive_t prim;
    dnnl_status_t st;
    dnnl_exec_arg_t args[2];

    dnnl_memory_get_memory_desc(src, &smd);
    dnnl_memory_get_memory_desc(dst, &dmd);
    st = dnnl_reorder_primitive_desc_create(&pd, smd, aop_dnnl_engine(), dmd,
                                            aop_dnnl_engine(), NULL);
    if (st != dnnl_success) {
        return st;
    }
    st = dnnl_primitive_create(&prim, pd);
    dnnl_primitive_desc_destroy(pd);
    if (st != dnnl_success) {
        return st;
    }
    args[0] = (dnnl_exec_arg_t){ DNNL_ARG_FROM, src };
    args[1] = (dnnl_exec_arg_t){ DNNL_ARG_TO, dst };
    st = aop_dnnl_exec(prim, 2, args);
    dnnl_primitive_destroy(prim);
    return st;
}
