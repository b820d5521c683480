/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Loading a model: om_parse() checks the file; then everything execution
 * reads is copied out of it into one allocation, so a buffer the guest can
 * still write (device memory) is read exactly once.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amdl_internal.h"

void amdl_fail(struct amdl_error *err, int status, int task, const char *fmt,
               ...)
{
    va_list ap;

    if (!err) {
        return;
    }
    err->status = status;
    err->task = task;
    err->op_status = 0;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
}

const char *amdl_status_name(int status)
{
    switch (status) {
    case AMDL_OK: return "ok";
    case AMDL_E_FILE: return "invalid file";
    case AMDL_E_MODEL: return "invalid model";
    case AMDL_E_NOMEM: return "out of memory";
    case AMDL_E_ARG: return "bad argument";
    case AMDL_E_OP: return "op failed";
    case AMDL_E_CANCELLED: return "cancelled";
    default: return "unknown";
    }
}

/* The op table decides which op ids a model may use. */
static const char *op_check(void *arg, uint32_t op_id, uint32_t nin,
                            uint32_t nout)
{
    (void)arg;
    (void)nin;
    (void)nout;
    /* Operand counts are the op's own check, at execution. */
    return aop_op_by_id(op_id) ? NULL : "not in the op table";
}

/* Bump allocator over the model's single block. */
struct arena {
    uint8_t *p;
    size_t used, cap;
};

static void *take(struct arena *a, size_t n)
{
    void *r;

    a->used = (a->used + 7) & ~(size_t)7;
    if (n > a->cap - a->used) {
        return NULL;    /* sized exactly below: never happens */
    }
    r = a->p + a->used;
    a->used += n;
    return r;
}

static char *take_str(struct arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = take(a, n);

    if (d) {
        memcpy(d, s, n);
    }
    return d;
}

static void copy_io(struct arena *a, const struct om_view *v,
                    const struct om_io *src, struct amdl_io *dst)
{
    dst->name = take_str(a, om_str(v, src->name_off));
    dst->dtype = src->dtype;
    dst->format = src->format;
    dst->ndim = src->ndim;
    memcpy(dst->dims, src->dims, sizeof(dst->dims));
    dst->size = src->size;
}

int amdl_load(const void *om, size_t len, struct amdl_model **model,
              struct amdl_error *err)
{
    struct om_parse_opts opts = { .op_check = op_check };
    struct om_error oerr;
    struct om_view v;
    const struct om_header *h;
    struct amdl_model *m;
    struct arena a = { 0 };
    size_t need;
    int rc;

    *model = NULL;
    rc = om_parse(om, len, &opts, &v, &oerr);
    if (rc) {
        amdl_fail(err, rc == OM_E_FILE ? AMDL_E_FILE :
                  rc == OM_E_NOMEM ? AMDL_E_NOMEM : AMDL_E_MODEL, -1,
                  "%s", oerr.msg);
        return err ? err->status : AMDL_E_MODEL;
    }
    h = v.hdr;
    /* One block: the struct, tables, then strings and attribute data. */
    need = sizeof(*m) + 8;
    need += (size_t)(h->num_inputs + h->num_outputs) *
            sizeof(struct amdl_io) + 8;
    need += (size_t)h->num_tensors * sizeof(struct amdl_tensor) + 8;
    need += (size_t)h->num_tasks * sizeof(struct amdl_task) + 8;
    need += (size_t)h->num_operands * sizeof(uint32_t) + 8;
    need += (size_t)h->num_attrs * sizeof(struct aop_attr) + 8;
    need += (size_t)v.attr_data_size + 8;
    /* every name at most once per use, each padded to 8 */
    for (uint32_t i = 0; i < h->num_inputs + h->num_outputs; i++) {
        need += strlen(om_str(&v, v.inputs[i].name_off)) + 8;
    }
    for (uint32_t i = 0; i < h->num_tasks; i++) {
        need += strlen(om_str(&v, v.tasks[i].name_off)) + 8;
    }
    for (uint32_t i = 0; i < h->num_attrs; i++) {
        need += strlen(om_str(&v, v.attrs[i].name_off)) + 8;
    }
    a.p = aligned_alloc(64, (need + 63) & ~(size_t)63);
    if (!a.p) {
        amdl_fail(err, AMDL_E_NOMEM, -1, "out of memory (%zu bytes)", need);
        return AMDL_E_NOMEM;
    }
    a.cap = need;
    m = (struct amdl_model *)a.p;
    memset(m, 0, sizeof(*m));
    a.used = sizeof(*m);
    m->block = a.p;
    m->num_inputs = h->num_inputs;
    m->num_outputs = h->num_outputs;
    m->num_tensors = h->num_tensors;
    m->num_tasks = h->num_tasks;
    m->workspace_size = h->workspace_size;
    m->weights_offset = h->sections[OM_SEC_WEIGHTS].offset;
    m->weights_size = h->sections[OM_SEC_WEIGHTS].size;
    m->io = take(&a, (size_t)(m->num_inputs + m->num_outputs) *
                 sizeof(struct amdl_io));
    m->tensors = take(&a, (size_t)m->num_tensors * sizeof(struct amdl_tensor));
    m->tasks = take(&a, (size_t)m->num_tasks * sizeof(struct amdl_task));
    m->operands = take(&a, (size_t)h->num_operands * sizeof(uint32_t));
    m->attrs = take(&a, (size_t)h->num_attrs * sizeof(struct aop_attr));
    m->attr_data = take(&a, (size_t)v.attr_data_size);
    if (v.attr_data_size) {
        memcpy(m->attr_data, v.attr_data, (size_t)v.attr_data_size);
    }
    if (h->num_operands) {
        memcpy(m->operands, v.operands, h->num_operands * sizeof(uint32_t));
    }

    for (uint32_t i = 0; i < m->num_inputs + m->num_outputs; i++) {
        copy_io(&a, &v, &v.inputs[i], &m->io[i]);
    }
    for (uint32_t i = 0; i < m->num_tensors; i++) {
        const struct om_tensor *t = &v.tensors[i];
        const struct om_tensor *r = om_root(&v, t);
        struct amdl_tensor *d = &m->tensors[i];
        d->dtype = t->dtype;
        d->format = t->format;
        d->ndim = t->ndim;
        memcpy(d->dims, t->dims, sizeof(d->dims));
        d->placement = r->placement;
        d->index = r->index;
        d->offset = r->offset;
        d->size = r->size;
    }
    for (uint32_t i = 0; i < h->num_attrs; i++) {
        const struct om_attr *s = &v.attrs[i];
        m->attrs[i].name = take_str(&a, om_str(&v, s->name_off));
        m->attrs[i].type = s->type;
        m->attrs[i].count = s->count;
        m->attrs[i].data = m->attr_data + s->data_off;
    }
    for (uint32_t i = 0; i < m->num_tasks; i++) {
        const struct om_task *s = &v.tasks[i];
        struct amdl_task *d = &m->tasks[i];
        const struct aop_op_info *info = aop_op_by_id(s->op_id);
        d->op_id = s->op_id;
        d->op_name = info->cann;
        d->name = take_str(&a, om_str(&v, s->name_off));
        d->nin = s->num_inputs;
        d->nout = s->num_outputs;
        d->operands = m->operands + s->operand_first;
        d->attrs = m->attrs + s->attr_first;
        d->nattrs = s->attr_count;
    }
    *model = m;
    return AMDL_OK;
}

void amdl_free(struct amdl_model *m)
{
    if (m) {
        free(m->block);
    }
}

uint32_t amdl_num_inputs(const struct amdl_model *m)
{
    return m->num_inputs;
}

uint32_t amdl_num_outputs(const struct amdl_model *m)
{
    return m->num_outputs;
}

const struct amdl_io *amdl_input(const struct amdl_model *m, uint32_t i)
{
    return i < m->num_inputs ? &m->io[i] : NULL;
}

const struct amdl_io *amdl_output(const struct amdl_model *m, uint32_t i)
{
    return i < m->num_outputs ? &m->io[m->num_inputs + i] : NULL;
}

uint64_t amdl_workspace_size(const struct amdl_model *m)
{
    return m->workspace_size;
}

void amdl_weights_span(const struct amdl_model *m, uint64_t *offset,
                       uint64_t *size)
{
    *offset = m->weights_offset;
    *size = m->weights_size;
}

uint32_t amdl_num_tasks(const struct amdl_model *m)
{
    return m->num_tasks;
}

const char *amdl_task_name(const struct amdl_model *m, uint32_t i)
{
    return i < m->num_tasks ? m->tasks[i].name : NULL;
}

const char *amdl_task_op(const struct amdl_model *m, uint32_t i)
{
    return i < m->num_tasks ? m->tasks[i].op_name : NULL;
}
