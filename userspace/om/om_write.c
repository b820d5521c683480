/* SPDX-License-Identifier: MIT */
/*
 * om_write: lay out an .om file (see om.h). The builder keeps growing
 * arrays per section and writes them in section order, each section
 * 64-byte aligned, padding zero.
 */
#include <stdlib.h>
#include <string.h>

#include "om.h"

struct vec {
    uint8_t *p;
    size_t len, cap;
};

/* Strings are deduplicated through an open-addressing table of offsets. */
struct om_builder {
    struct vec strings, inputs, outputs, tensors, tasks, operands, attrs,
        attr_data, weights;
    uint32_t *str_hash;     /* offset + 1; 0 = free */
    size_t str_hash_cap, str_count;
    uint64_t workspace_size;
    uint32_t name_off;
    char soc[OM_SOC_LEN];
    bool oom;
};

static int vec_reserve(struct vec *v, size_t more)
{
    size_t cap;
    uint8_t *p;

    if (more > SIZE_MAX - v->len) {
        return -1;
    }
    if (v->len + more <= v->cap) {
        return 0;
    }
    cap = v->cap ? v->cap : 256;
    while (cap < v->len + more) {
        if (cap > SIZE_MAX / 2) {
            return -1;
        }
        cap *= 2;
    }
    p = realloc(v->p, cap);
    if (!p) {
        return -1;
    }
    v->p = p;
    v->cap = cap;
    return 0;
}

static int vec_add(struct vec *v, const void *data, size_t n)
{
    if (vec_reserve(v, n)) {
        return -1;
    }
    if (n) {
        if (data) {
            memcpy(v->p + v->len, data, n);
        } else {
            memset(v->p + v->len, 0, n);
        }
    }
    v->len += n;
    return 0;
}

static int vec_pad(struct vec *v, size_t align)
{
    size_t pad = (align - v->len % align) % align;
    return vec_add(v, NULL, pad);
}

struct om_builder *om_builder_new(void)
{
    struct om_builder *b = calloc(1, sizeof(*b));

    if (!b) {
        return NULL;
    }
    if (vec_add(&b->strings, "", 1)) {
        free(b);
        return NULL;
    }
    return b;
}

void om_builder_free(struct om_builder *b)
{
    struct vec *all[9];

    if (!b) {
        return;
    }
    all[0] = &b->strings; all[1] = &b->inputs; all[2] = &b->outputs;
    all[3] = &b->tensors; all[4] = &b->tasks; all[5] = &b->operands;
    all[6] = &b->attrs; all[7] = &b->attr_data; all[8] = &b->weights;
    for (int i = 0; i < 9; i++) {
        free(all[i]->p);
    }
    free(b->str_hash);
    free(b);
}

static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u;   /* FNV-1a */

    while (*s) {
        h = (h ^ (uint8_t)*s++) * 16777619u;
    }
    return h;
}

static int hash_grow(struct om_builder *b)
{
    size_t cap = b->str_hash_cap ? b->str_hash_cap * 2 : 1024;
    uint32_t *t = calloc(cap, sizeof(*t));

    if (!t) {
        return -1;
    }
    for (size_t i = 0; i < b->str_hash_cap; i++) {
        uint32_t e = b->str_hash[i];
        if (e) {
            size_t j = str_hash((char *)b->strings.p + e - 1) & (cap - 1);
            while (t[j]) {
                j = (j + 1) & (cap - 1);
            }
            t[j] = e;
        }
    }
    free(b->str_hash);
    b->str_hash = t;
    b->str_hash_cap = cap;
    return 0;
}

uint32_t om_b_string(struct om_builder *b, const char *s)
{
    size_t n, j;
    uint32_t off;

    if (!s || !s[0]) {
        return 0;
    }
    if (b->str_count * 2 >= b->str_hash_cap && hash_grow(b)) {
        b->oom = true;
        return UINT32_MAX;
    }
    j = str_hash(s) & (b->str_hash_cap - 1);
    while (b->str_hash[j]) {
        if (strcmp((char *)b->strings.p + b->str_hash[j] - 1, s) == 0) {
            return b->str_hash[j] - 1;
        }
        j = (j + 1) & (b->str_hash_cap - 1);
    }
    n = strlen(s) + 1;
    if (b->strings.len + n >= UINT32_MAX) {
        b->oom = true;
        return UINT32_MAX;
    }
    off = (uint32_t)b->strings.len;
    if (vec_add(&b->strings, s, n)) {
        b->oom = true;
        return UINT32_MAX;
    }
    b->str_hash[j] = off + 1;
    b->str_count++;
    return off;
}

uint32_t om_b_tensor(struct om_builder *b, const struct om_tensor *t)
{
    uint32_t i = (uint32_t)(b->tensors.len / sizeof(*t));

    if (i >= OM_MAX_TENSORS || vec_add(&b->tensors, t, sizeof(*t))) {
        b->oom = true;
        return OM_NO_TENSOR;
    }
    return i;
}

uint32_t om_b_num_tensors(const struct om_builder *b)
{
    return (uint32_t)(b->tensors.len / sizeof(struct om_tensor));
}

struct om_tensor *om_b_tensor_at(struct om_builder *b, uint32_t i)
{
    if (i >= om_b_num_tensors(b)) {
        return NULL;
    }
    return (struct om_tensor *)b->tensors.p + i;
}

int om_b_weights(struct om_builder *b, const void *data, uint64_t size,
                 uint64_t *offset)
{
    if (vec_pad(&b->weights, OM_DATA_ALIGN) || size > SIZE_MAX) {
        b->oom = true;
        return -1;
    }
    *offset = b->weights.len;
    if (vec_add(&b->weights, data, (size_t)size)) {
        b->oom = true;
        return -1;
    }
    return 0;
}

int om_b_input(struct om_builder *b, const struct om_io *io)
{
    if (vec_add(&b->inputs, io, sizeof(*io))) {
        b->oom = true;
        return -1;
    }
    return 0;
}

int om_b_output(struct om_builder *b, const struct om_io *io)
{
    if (vec_add(&b->outputs, io, sizeof(*io))) {
        b->oom = true;
        return -1;
    }
    return 0;
}

static size_t attr_esize(uint32_t type)
{
    switch (type) {
    case OM_ATTR_INT: return 8;
    case OM_ATTR_FLOAT: return 4;
    default: return 1;
    }
}

int om_b_task(struct om_builder *b, uint32_t op_id, const char *name,
              const uint32_t *in, uint32_t nin, const uint32_t *out,
              uint32_t nout, const struct om_b_attr *attrs, uint32_t nattrs)
{
    struct om_task t = {
        .op_id = op_id,
        .num_inputs = (uint16_t)nin,
        .num_outputs = (uint16_t)nout,
        .operand_first = (uint32_t)(b->operands.len / sizeof(uint32_t)),
        .attr_first = (uint32_t)(b->attrs.len / sizeof(struct om_attr)),
        .attr_count = nattrs,
        .name_off = om_b_string(b, name),
    };

    if (nin > UINT16_MAX || nout > UINT16_MAX ||
        vec_add(&b->operands, in, nin * sizeof(uint32_t)) ||
        vec_add(&b->operands, out, nout * sizeof(uint32_t))) {
        b->oom = true;
        return -1;
    }
    for (uint32_t i = 0; i < nattrs; i++) {
        struct om_attr a = {
            .name_off = om_b_string(b, attrs[i].name),
            .type = attrs[i].type,
            .count = attrs[i].count,
        };
        a.data_size = (uint64_t)attrs[i].count * attr_esize(attrs[i].type);
        if (vec_pad(&b->attr_data, OM_ATTR_ALIGN)) {
            b->oom = true;
            return -1;
        }
        a.data_off = b->attr_data.len;
        if (vec_add(&b->attr_data, attrs[i].data, (size_t)a.data_size) ||
            vec_add(&b->attrs, &a, sizeof(a))) {
            b->oom = true;
            return -1;
        }
    }
    if (vec_add(&b->tasks, &t, sizeof(t))) {
        b->oom = true;
        return -1;
    }
    return 0;
}

void om_b_set_workspace(struct om_builder *b, uint64_t size)
{
    b->workspace_size = size;
}

void om_b_set_name(struct om_builder *b, const char *name)
{
    b->name_off = om_b_string(b, name);
}

void om_b_set_soc(struct om_builder *b, const char *soc)
{
    memset(b->soc, 0, sizeof(b->soc));
    if (soc) {
        strncpy(b->soc, soc, sizeof(b->soc) - 1);
    }
}

int om_b_finish(struct om_builder *b, void **bufp, size_t *lenp)
{
    struct om_header h = { 0 };
    const struct vec *sec[OM_SEC_COUNT];
    struct vec io = { 0 };
    uint64_t off = OM_HEADER_SIZE;
    uint8_t *buf;

    *bufp = NULL;
    *lenp = 0;
    if (b->oom || vec_add(&io, b->inputs.p, b->inputs.len) ||
        vec_add(&io, b->outputs.p, b->outputs.len)) {
        free(io.p);
        return -1;
    }
    sec[OM_SEC_STRINGS] = &b->strings;
    sec[OM_SEC_IO] = &io;
    sec[OM_SEC_TENSORS] = &b->tensors;
    sec[OM_SEC_TASKS] = &b->tasks;
    sec[OM_SEC_OPERANDS] = &b->operands;
    sec[OM_SEC_ATTRS] = &b->attrs;
    sec[OM_SEC_ATTR_DATA] = &b->attr_data;
    sec[OM_SEC_WEIGHTS] = &b->weights;

    h.magic = OM_MAGIC;
    h.version_major = OM_VERSION_MAJOR;
    h.version_minor = OM_VERSION_MINOR;
    h.header_size = OM_HEADER_SIZE;
    h.num_sections = OM_SEC_COUNT;
    h.workspace_size = b->workspace_size;
    h.num_inputs = (uint32_t)(b->inputs.len / sizeof(struct om_io));
    h.num_outputs = (uint32_t)(b->outputs.len / sizeof(struct om_io));
    h.num_tensors = (uint32_t)(b->tensors.len / sizeof(struct om_tensor));
    h.num_tasks = (uint32_t)(b->tasks.len / sizeof(struct om_task));
    h.num_operands = (uint32_t)(b->operands.len / sizeof(uint32_t));
    h.num_attrs = (uint32_t)(b->attrs.len / sizeof(struct om_attr));
    h.name_off = b->name_off;
    memcpy(h.soc_version, b->soc, sizeof(h.soc_version));
    for (int i = 0; i < OM_SEC_COUNT; i++) {
        if (!sec[i]->len) {
            continue;
        }
        off = (off + OM_SECTION_ALIGN - 1) / OM_SECTION_ALIGN *
              OM_SECTION_ALIGN;
        h.sections[i].offset = off;
        h.sections[i].size = sec[i]->len;
        off += sec[i]->len;
    }
    h.file_size = off;
    if (off > SIZE_MAX) {
        free(io.p);
        return -1;
    }
    buf = aligned_alloc(OM_SECTION_ALIGN, (size_t)(off + OM_SECTION_ALIGN - 1)
                        / OM_SECTION_ALIGN * OM_SECTION_ALIGN);
    if (!buf) {
        free(io.p);
        return -1;
    }
    memset(buf, 0, (size_t)off);
    memcpy(buf, &h, sizeof(h));
    for (int i = 0; i < OM_SEC_COUNT; i++) {
        if (sec[i]->len) {
            memcpy(buf + h.sections[i].offset, sec[i]->p, sec[i]->len);
        }
    }
    free(io.p);
    h.checksum = om_file_checksum(buf, (size_t)off);
    memcpy(buf + offsetof(struct om_header, checksum), &h.checksum,
           sizeof(h.checksum));
    *bufp = buf;
    *lenp = (size_t)off;
    return 0;
}
