/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu: the operator library's ops as engine ops (anpu_oplib.h).
 * One struct anpu_op_impl per row of the library's table, built once; the
 * callbacks are shared and find the library op by the impl's id.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "anpu_engine.h"
#include "anpu_model.h"
#include "anpu_oplib.h"
#include "aop.h"

/* Rows the table may have; the library has about sixty. */
#define OPLIB_MAX_OPS   256

static struct anpu_op_impl impls[OPLIB_MAX_OPS];
static const struct anpu_op_impl *impl_list[OPLIB_MAX_OPS];
static struct anpu_engine_lib lib;
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

uint32_t anpu_oplib_reason(int aop_status)
{
    switch (aop_status) {
    case AOP_E_OPERANDS:
        return VASCEND_OP_ERR_COUNT;
    case AOP_E_DTYPE:
        return VASCEND_OP_ERR_DTYPE;
    case AOP_E_FORMAT:
        return VASCEND_OP_ERR_FORMAT;
    case AOP_E_SHAPE:
        return VASCEND_OP_ERR_SHAPE;
    case AOP_E_ATTR:
        return VASCEND_OP_ERR_ATTR_VALUE;
    case AOP_E_SIZE:
        return VASCEND_OP_ERR_SIZE;
    case AOP_E_VALUE:
        return VASCEND_OP_ERR_VALUE;
    default:
        /* UNSUPPORTED, and a backing library refusing (INTERNAL). */
        return VASCEND_OP_ERR_UNSUPPORTED;
    }
}

/* The attribute an attribute error's message names ("attribute 'x': ..."). */
static uint32_t attr_operand(const struct anpu_launch *l, const char *msg)
{
    const char *p = strstr(msg, "attribute '"), *end;
    size_t len;
    uint32_t k;

    if (!p) {
        return VASCEND_OP_ERR_HEADER;
    }
    p += strlen("attribute '");
    end = strchr(p, '\'');
    if (!end) {
        return VASCEND_OP_ERR_HEADER;
    }
    len = (size_t)(end - p);
    for (k = 0; k < l->nattrs; k++) {
        if (strlen(l->attrs[k].name) == len &&
            !memcmp(l->attrs[k].name, p, len)) {
            return VASCEND_OP_ERR_ATTR(k);
        }
    }
    return VASCEND_OP_ERR_HEADER;
}

uint32_t anpu_oplib_error_info(const struct anpu_launch *l,
                               const struct aop_error *err)
{
    uint32_t operand = VASCEND_OP_ERR_HEADER;

    if (err->operand >= AOP_OPERAND_OUT &&
        (uint32_t)(err->operand - AOP_OPERAND_OUT) < l->noutputs) {
        operand = l->ninputs + (uint32_t)(err->operand - AOP_OPERAND_OUT);
    } else if (err->operand >= 0 && (uint32_t)err->operand < l->ninputs) {
        operand = (uint32_t)err->operand;
    } else if (err->status == AOP_E_ATTR) {
        operand = attr_operand(l, err->msg);
    }
    return VASCEND_OP_ERR_INFO(anpu_oplib_reason(err->status), operand);
}

static void to_aop(const struct anpu_tensor *t, struct aop_tensor *a)
{
    memset(a, 0, sizeof(*a));
    if (t->omitted) {
        a->dtype = AOP_DT_NONE;
        a->format = AOP_FMT_ND;
        return;
    }
    a->data = t->data;
    a->size = t->bytes;
    a->dtype = t->desc.dtype;
    a->format = t->desc.format;
    a->ndim = t->desc.ndim;
    memcpy(a->dims, t->desc.dims, sizeof(a->dims));
}

static uint16_t oplib_prepare(struct anpu_launch *l, uint32_t *info)
{
    struct aop_tensor in[VASCEND_OP_MAX_TENSORS], out[VASCEND_OP_MAX_TENSORS];
    struct aop_attr attrs[ANPU_OP_MAX_ATTRS];
    /*
     * A block_dim the caller chose is honoured: every one of those cores
     * takes part however small the op (grain 1). The device's choice (0)
     * uses what the op's work is worth (aop_launch_threads()).
     */
    struct aop_ctx ctx = { .threads = l->threads, .reference = l->reference,
                           .grain_ns = l->block_dim ? 1 : 0 };
    struct aop_launch *al;
    struct aop_error err;
    uint32_t k;

    for (k = 0; k < l->ninputs; k++) {
        to_aop(&l->t[k], &in[k]);
    }
    for (k = 0; k < l->noutputs; k++) {
        to_aop(&l->t[l->ninputs + k], &out[k]);
    }
    for (k = 0; k < l->nattrs; k++) {
        attrs[k].name = l->attrs[k].name;
        attrs[k].type = l->attrs[k].type;
        attrs[k].count = l->attrs[k].count;
        attrs[k].data = l->attrs[k].data;
    }
    if (aop_prepare(&ctx, l->op->op_id, in, l->ninputs, out, l->noutputs,
                    attrs, l->nattrs, &al, &err)) {
        if (err.status == AOP_E_NOMEM) {
            return VASCEND_CQE_STATUS_BUSY;
        }
        *info = anpu_oplib_error_info(l, &err);
        return VASCEND_CQE_STATUS_OP_ERROR;
    }
    l->priv = al;
    l->self_threaded = aop_launch_self_threaded(al);
    if (l->self_threaded) {
        /* the cores the op really uses, counted busy and reported */
        l->threads = aop_launch_threads(al);
    }
    return VASCEND_CQE_STATUS_SUCCESS;
}

static uint64_t oplib_tiles(const struct anpu_launch *l)
{
    return aop_launch_tiles(l->priv);
}

static uint32_t oplib_run(struct anpu_launch *l, uint64_t first, uint64_t end)
{
    struct aop_error err;

    if (aop_launch_run(l->priv, (uint32_t)first, (uint32_t)(end - first),
                       &err)) {
        return anpu_oplib_error_info(l, &err);
    }
    return 0;
}

static void oplib_release(struct anpu_launch *l)
{
    aop_launch_free(l->priv);
    l->priv = NULL;
}

static void build(void)
{
    const struct aop_op_info *info;
    size_t i, n = aop_op_count();

    for (i = 0; i < n && i < OPLIB_MAX_OPS; i++) {
        info = aop_op_at(i);
        impls[i] = (struct anpu_op_impl) {
            .name = info->cann,
            .version = info->version,
            .op_id = info->id,
            .prepare = oplib_prepare,
            .tiles = oplib_tiles,
            .run = oplib_run,
            .release = oplib_release,
        };
        impl_list[i] = &impls[i];
    }
    lib.ops = impl_list;
    lib.nops = i;
    lib.model = &anpu_oplib_model;
}

void anpu_oplib_register(void)
{
    pthread_once(&lib_once, build);
    anpu_engine_set_lib(&lib);
}
