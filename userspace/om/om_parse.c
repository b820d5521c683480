/* SPDX-License-Identifier: MIT */
/*
 * om_parse: check a whole .om file before anyone uses it (see om.h).
 *
 * Order: the header's identity (magic, version, sizes) and the checksum
 * first, so a damaged file is reported as damaged; then the section table;
 * then each table, each entry's fields in struct order, so the message
 * names the first field that is wrong. All arithmetic on values from the
 * file is done in 64 bits on operands bounded first, or checked.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "om.h"

static int bad(struct om_error *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(struct om_error *err, int status, const char *fmt, ...)
{
    va_list ap;

    if (err) {
        err->status = status;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return status;
}

#define BADF(...)   bad(err, OM_E_FILE, __VA_ARGS__)
#define BADM(...)   bad(err, OM_E_MODEL, __VA_ARGS__)

size_t om_dtype_size(uint32_t dt)
{
    switch (dt) {
    case 2: case 4: case 12: return 1;          /* int8 uint8 bool */
    case 1: case 6: case 7: case 27: return 2;  /* fp16 int16 uint16 bf16 */
    case 0: case 3: case 8: return 4;           /* fp32 int32 uint32 */
    case 9: case 10: case 11: return 8;         /* int64 uint64 double */
    default: return 0;
    }
}

const char *om_dtype_name(uint32_t dt)
{
    switch (dt) {
    case 0: return "float";
    case 1: return "float16";
    case 2: return "int8";
    case 3: return "int32";
    case 4: return "uint8";
    case 6: return "int16";
    case 7: return "uint16";
    case 8: return "uint32";
    case 9: return "int64";
    case 10: return "uint64";
    case 11: return "double";
    case 12: return "bool";
    case 27: return "bfloat16";
    default: return "unknown";
    }
}

const char *om_format_name(uint32_t f)
{
    switch (f) {
    case 0: return "NCHW";
    case 1: return "NHWC";
    case 2: return "ND";
    default: return "unknown";
    }
}

const char *om_placement_name(uint32_t p)
{
    switch (p) {
    case OM_PLACE_INPUT: return "input";
    case OM_PLACE_OUTPUT: return "output";
    case OM_PLACE_WEIGHT: return "weight";
    case OM_PLACE_WORKSPACE: return "workspace";
    default: return "unknown";
    }
}

const char *om_section_name(uint32_t id)
{
    static const char *const names[OM_SEC_COUNT] = {
        "STRINGS", "IO", "TENSORS", "TASKS", "OPERANDS", "ATTRS",
        "ATTR_DATA", "WEIGHTS",
    };

    return id < OM_SEC_COUNT ? names[id] : "unknown";
}

static bool all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++) {
        if (b[i]) {
            return false;
        }
    }
    return true;
}

const char *om_str(const struct om_view *v, uint32_t off)
{
    return v->strings + off;
}

/* A name: an offset inside STRINGS (which ends with NUL, checked first). */
static int check_name(const struct om_view *v, uint32_t off, const char *what,
                      struct om_error *err)
{
    if (off >= v->strings_size) {
        return BADM("%s.name_off: %" PRIu32 " is past the %" PRIu64
                    "-byte STRINGS section", what, off, v->strings_size);
    }
    return OM_OK;
}

/* The shape fields shared by om_io and om_tensor. */
static int check_shape(uint32_t dtype, uint32_t format, uint32_t ndim,
                       const int64_t *dims, uint64_t size, const char *what,
                       struct om_error *err)
{
    int64_t n = 1;
    size_t es = om_dtype_size(dtype);

    if (!es) {
        return BADM("%s.dtype: %" PRIu32 " is not a data type .om carries",
                    what, dtype);
    }
    if (format > 2) {
        return BADM("%s.format: %" PRIu32 " (only NCHW 0, NHWC 1, ND 2)",
                    what, format);
    }
    if (ndim > OM_MAX_DIMS) {
        return BADM("%s.ndim: %" PRIu32 " above %d", what, ndim, OM_MAX_DIMS);
    }
    for (uint32_t i = 0; i < OM_MAX_DIMS; i++) {
        int64_t d = dims[i];
        if (i >= ndim) {
            if (d) {
                return BADM("%s.dims[%" PRIu32 "]: %" PRId64 " beyond ndim %"
                            PRIu32 " (must be 0)", what, i, d, ndim);
            }
            continue;
        }
        if (d < 0 || d > OM_MAX_ELEMS) {
            return BADM("%s.dims[%" PRIu32 "]: %" PRId64 " out of range",
                        what, i, d);
        }
        if (d && n > OM_MAX_ELEMS / d) {
            return BADM("%s.dims: more than 2^40 elements", what);
        }
        n *= d;
    }
    /* n <= 2^40 and es <= 8: no overflow */
    if (size != (uint64_t)n * es) {
        return BADM("%s.size: %" PRIu64 ", but %" PRId64 " elements of %s "
                    "need %" PRIu64, what, size, n, om_dtype_name(dtype),
                    (uint64_t)n * es);
    }
    return OM_OK;
}

static int check_header(const uint8_t *buf, size_t len,
                        const struct om_header *h, struct om_error *err)
{
    uint32_t sum;

    if (len < OM_HEADER_SIZE) {
        return BADF("file is %zu bytes, shorter than the %d-byte header",
                    len, OM_HEADER_SIZE);
    }
    if (h->magic != OM_MAGIC) {
        return BADF("header.magic: 0x%08" PRIx32 ", expected 0x%08x (VOM1): "
                    "not a vascend .om file", h->magic, OM_MAGIC);
    }
    if (h->version_major != OM_VERSION_MAJOR) {
        return BADF("header.version_major: %u, this reader takes %d",
                    h->version_major, OM_VERSION_MAJOR);
    }
    if (h->version_minor > OM_VERSION_MINOR) {
        return BADF("header.version_minor: version %u.%u is newer than this "
                    "reader (%d.%d)", h->version_major, h->version_minor,
                    OM_VERSION_MAJOR, OM_VERSION_MINOR);
    }
    if (h->header_size != OM_HEADER_SIZE) {
        return BADF("header.header_size: %" PRIu32 ", expected %d",
                    h->header_size, OM_HEADER_SIZE);
    }
    if (h->file_size != len) {
        return BADF("header.file_size: %" PRIu64 ", but the file has %zu "
                    "bytes%s", h->file_size, len,
                    h->file_size > len ? " (truncated)" : "");
    }
    sum = om_file_checksum(buf, len);
    if (sum != h->checksum) {
        return BADF("header.checksum: 0x%08" PRIx32 ", the contents give "
                    "0x%08" PRIx32 " (file damaged)", h->checksum, sum);
    }
    if (h->flags) {
        return BADM("header.flags: 0x%" PRIx32 " (none defined)", h->flags);
    }
    if (h->num_sections != OM_SEC_COUNT) {
        return BADM("header.num_sections: %" PRIu32 ", expected %d",
                    h->num_sections, OM_SEC_COUNT);
    }
    if (h->rsvd0 || !all_zero(h->rsvd, sizeof(h->rsvd))) {
        return BADM("header.rsvd: not zero");
    }
    if (!memchr(h->soc_version, 0, sizeof(h->soc_version))) {
        return BADM("header.soc_version: not NUL-terminated");
    }
    return OM_OK;
}

static int check_sections(size_t len, const struct om_header *h,
                          struct om_error *err)
{
    for (uint32_t i = 0; i < OM_SEC_COUNT; i++) {
        const struct om_section *s = &h->sections[i];
        const char *n = om_section_name(i);

        if (!s->size) {
            if (s->offset) {
                return BADM("header.sections[%s].offset: %" PRIu64
                            " for an empty section (must be 0)", n,
                            s->offset);
            }
            continue;
        }
        if (s->offset % OM_SECTION_ALIGN) {
            return BADM("header.sections[%s].offset: %" PRIu64 " is not a "
                        "multiple of %d", n, s->offset, OM_SECTION_ALIGN);
        }
        if (s->offset < OM_HEADER_SIZE || s->offset > len) {
            return BADM("header.sections[%s].offset: %" PRIu64 " is outside "
                        "the file (%d..%zu)", n, s->offset, OM_HEADER_SIZE,
                        len);
        }
        if (s->size > len - s->offset) {
            return BADM("header.sections[%s].size: %" PRIu64 " at offset %"
                        PRIu64 " runs past the end of the %zu-byte file", n,
                        s->size, s->offset, len);
        }
        for (uint32_t j = 0; j < i; j++) {
            const struct om_section *o = &h->sections[j];
            if (o->size && s->offset < o->offset + o->size &&
                o->offset < s->offset + s->size) {
                return BADM("header.sections[%s]: overlaps section %s", n,
                            om_section_name(j));
            }
        }
    }
    return OM_OK;
}

/* A table section holds exactly @count entries of @esize bytes. */
static int check_table(const struct om_header *h, uint32_t id, uint64_t count,
                       uint64_t max, size_t esize, const char *count_field,
                       struct om_error *err)
{
    if (count > max) {
        return BADM("header.%s: %" PRIu64 " above this reader's limit %"
                    PRIu64, count_field, count, max);
    }
    if (h->sections[id].size != count * esize) {
        return BADM("header.sections[%s].size: %" PRIu64 ", but %s %" PRIu64
                    " entries of %zu bytes need %" PRIu64,
                    om_section_name(id), h->sections[id].size, count_field,
                    count, esize, count * esize);
    }
    return OM_OK;
}

static int check_io(const struct om_view *v, const struct om_io *io,
                    uint32_t idx, bool output, struct om_error *err)
{
    const struct om_header *h = v->hdr;
    char what[48];
    const struct om_tensor *t;
    int rc;

    snprintf(what, sizeof(what), "%s[%" PRIu32 "]",
             output ? "outputs" : "inputs", idx);
    rc = check_name(v, io->name_off, what, err);
    if (!rc) {
        rc = check_shape(io->dtype, io->format, io->ndim, io->dims, io->size,
                         what, err);
    }
    if (rc) {
        return rc;
    }
    if (io->tensor >= h->num_tensors) {
        return BADM("%s.tensor: %" PRIu32 " is not below num_tensors %"
                    PRIu32, what, io->tensor, h->num_tensors);
    }
    if (!all_zero(io->rsvd, sizeof(io->rsvd))) {
        return BADM("%s.rsvd: not zero", what);
    }
    t = &v->tensors[io->tensor];
    if (t->placement != (output ? OM_PLACE_OUTPUT : OM_PLACE_INPUT) ||
        t->index != idx || t->base != OM_NO_TENSOR) {
        return BADM("%s.tensor: tensor %" PRIu32 " is not %s %" PRIu32
                    " itself (placement %s, index %" PRIu32 ")", what,
                    io->tensor, output ? "output" : "input", idx,
                    om_placement_name(t->placement), t->index);
    }
    if (t->dtype != io->dtype || t->ndim != io->ndim ||
        memcmp(t->dims, io->dims, sizeof(t->dims)) != 0) {
        return BADM("%s.tensor: tensor %" PRIu32 " has another dtype or "
                    "shape than the description", what, io->tensor);
    }
    return OM_OK;
}

static int check_tensor(const struct om_view *v, uint32_t i,
                        struct om_error *err)
{
    const struct om_header *h = v->hdr;
    const struct om_tensor *t = &v->tensors[i];
    uint64_t room = 0;
    char what[40];
    int rc;

    snprintf(what, sizeof(what), "tensors[%" PRIu32 "]", i);
    rc = check_name(v, t->name_off, what, err);
    if (!rc) {
        rc = check_shape(t->dtype, t->format, t->ndim, t->dims, t->size, what,
                         err);
    }
    if (rc) {
        return rc;
    }
    if (t->flags || !all_zero(t->rsvd, sizeof(t->rsvd))) {
        return BADM("%s.flags/rsvd: not zero", what);
    }
    if (t->base != OM_NO_TENSOR) {
        const struct om_tensor *b;
        if (t->base >= i) {
            return BADM("%s.base: %" PRIu32 " is not an earlier tensor", what,
                        t->base);
        }
        b = &v->tensors[t->base];
        if (b->base != OM_NO_TENSOR) {
            return BADM("%s.base: tensor %" PRIu32 " is a view itself", what,
                        t->base);
        }
        if (t->placement != b->placement || t->index != b->index ||
            t->offset != b->offset || t->size != b->size) {
            return BADM("%s.base: placement, index, offset or size differ "
                        "from tensor %" PRIu32 "'s", what, t->base);
        }
        return OM_OK;   /* the base's storage was checked */
    }
    switch (t->placement) {
    case OM_PLACE_INPUT:
    case OM_PLACE_OUTPUT: {
        bool out = t->placement == OM_PLACE_OUTPUT;
        uint32_t n = out ? h->num_outputs : h->num_inputs;
        const struct om_io *io;
        if (t->index >= n) {
            return BADM("%s.index: %s %" PRIu32 ", the model has %" PRIu32,
                        what, om_placement_name(t->placement), t->index, n);
        }
        if (t->offset) {
            return BADM("%s.offset: %" PRIu64 " for a model %s (must be 0)",
                        what, t->offset, om_placement_name(t->placement));
        }
        io = out ? &v->outputs[t->index] : &v->inputs[t->index];
        if (t->size != io->size) {
            return BADM("%s.size: %" PRIu64 ", but %s %" PRIu32 " has %"
                        PRIu64 " bytes", what, t->size,
                        om_placement_name(t->placement), t->index, io->size);
        }
        return OM_OK;
    }
    case OM_PLACE_WEIGHT:
        room = v->weights_size;
        break;
    case OM_PLACE_WORKSPACE:
        room = h->workspace_size;
        break;
    default:
        return BADM("%s.placement: %" PRIu32 " is not a placement", what,
                    t->placement);
    }
    if (t->index) {
        return BADM("%s.index: %" PRIu32 " for a %s tensor (must be 0)", what,
                    t->index, om_placement_name(t->placement));
    }
    if (t->offset % OM_DATA_ALIGN) {
        return BADM("%s.offset: %" PRIu64 " is not a multiple of %d", what,
                    t->offset, OM_DATA_ALIGN);
    }
    if (t->offset > room || t->size > room - t->offset) {
        return BADM("%s.offset: %" PRIu64 " + size %" PRIu64 " runs past the "
                    "%" PRIu64 "-byte %s", what, t->offset, t->size, room,
                    t->placement == OM_PLACE_WEIGHT ? "WEIGHTS section" :
                    "workspace");
    }
    return OM_OK;
}

static int check_attr(const struct om_view *v, uint32_t i,
                      struct om_error *err)
{
    const struct om_attr *a = &v->attrs[i];
    char what[40];
    uint64_t es;
    int rc;

    snprintf(what, sizeof(what), "attrs[%" PRIu32 "]", i);
    rc = check_name(v, a->name_off, what, err);
    if (rc) {
        return rc;
    }
    if (!v->strings[a->name_off]) {
        return BADM("%s.name_off: empty name", what);
    }
    switch (a->type) {
    case OM_ATTR_INT:
        es = 8;
        break;
    case OM_ATTR_FLOAT:
        es = 4;
        break;
    case OM_ATTR_BOOL:
    case OM_ATTR_STRING:
        es = 1;
        break;
    default:
        return BADM("%s.type: %" PRIu32 " is not an attribute type", what,
                    a->type);
    }
    if (a->rsvd) {
        return BADM("%s.rsvd: not zero", what);
    }
    if (a->data_off % OM_ATTR_ALIGN) {
        return BADM("%s.data_off: %" PRIu64 " is not a multiple of %d", what,
                    a->data_off, OM_ATTR_ALIGN);
    }
    if (a->data_size != a->count * es) {
        return BADM("%s.data_size: %" PRIu64 ", but %" PRIu32 " elements "
                    "need %" PRIu64, what, a->data_size, a->count,
                    a->count * es);
    }
    if (a->data_off > v->attr_data_size ||
        a->data_size > v->attr_data_size - a->data_off) {
        return BADM("%s.data_off: %" PRIu64 " + data_size %" PRIu64 " runs "
                    "past the %" PRIu64 "-byte ATTR_DATA section", what,
                    a->data_off, a->data_size, v->attr_data_size);
    }
    if (a->type == OM_ATTR_BOOL) {
        for (uint32_t k = 0; k < a->count; k++) {
            if (v->attr_data[a->data_off + k] > 1) {
                return BADM("%s: bool value %u is not 0 or 1", what,
                            v->attr_data[a->data_off + k]);
            }
        }
    }
    return OM_OK;
}

static bool ranges_overlap(const struct om_tensor *a, const struct om_tensor *b)
{
    if (a->placement != b->placement || !a->size || !b->size) {
        return false;
    }
    if (a->placement == OM_PLACE_INPUT || a->placement == OM_PLACE_OUTPUT) {
        return a->index == b->index;
    }
    return a->offset < b->offset + b->size && b->offset < a->offset + a->size;
}

/* Task order: every read is of a tensor already there, every write once. */
static int check_task(const struct om_view *v, uint32_t i, uint8_t *written,
                      const struct om_parse_opts *opts, struct om_error *err)
{
    const struct om_header *h = v->hdr;
    const struct om_task *t = &v->tasks[i];
    const char *name;
    const uint32_t *ops;
    uint32_t n = (uint32_t)t->num_inputs + t->num_outputs;
    char what[40];
    int rc;

    snprintf(what, sizeof(what), "tasks[%" PRIu32 "]", i);
    rc = check_name(v, t->name_off, what, err);
    if (rc) {
        return rc;
    }
    name = om_str(v, t->name_off);
    if (t->flags || t->rsvd) {
        return BADM("%s.flags/rsvd: not zero", what);
    }
    if (!t->num_outputs) {
        return BADM("%s.num_outputs: 0 (node '%s')", what, name);
    }
    if (n > OM_MAX_TASK_OPERANDS) {
        return BADM("%s.num_inputs: %u inputs and %u outputs, above %u "
                    "(node '%s')", what, t->num_inputs, t->num_outputs,
                    OM_MAX_TASK_OPERANDS, name);
    }
    if (t->operand_first > h->num_operands ||
        n > h->num_operands - t->operand_first) {
        return BADM("%s.operand_first: %" PRIu32 " + %" PRIu32 " operands "
                    "runs past num_operands %" PRIu32 " (node '%s')", what,
                    t->operand_first, n, h->num_operands, name);
    }
    if (t->attr_first > h->num_attrs ||
        t->attr_count > h->num_attrs - t->attr_first) {
        return BADM("%s.attr_first: %" PRIu32 " + attr_count %" PRIu32
                    " runs past num_attrs %" PRIu32 " (node '%s')", what,
                    t->attr_first, t->attr_count, h->num_attrs, name);
    }
    if (opts && opts->op_check) {
        const char *why = opts->op_check(opts->op_arg, t->op_id,
                                         t->num_inputs, t->num_outputs);
        if (why) {
            return BADM("%s.op_id: 0x%04" PRIx32 ": %s (node '%s')", what,
                        t->op_id, why, name);
        }
    }
    ops = om_task_operands(v, t);
    for (uint32_t k = 0; k < n; k++) {
        bool is_out = k >= t->num_inputs;
        uint32_t ti = ops[k];
        const struct om_tensor *r;
        uint32_t root;

        if (ti == OM_NO_TENSOR && !is_out) {
            continue;   /* omitted optional input */
        }
        if (ti >= h->num_tensors) {
            return BADM("%s: %s %" PRIu32 ": tensor %" PRIu32 " is not below "
                        "num_tensors %" PRIu32 " (node '%s')", what,
                        is_out ? "output" : "input",
                        is_out ? k - t->num_inputs : k, ti, h->num_tensors,
                        name);
        }
        root = v->tensors[ti].base == OM_NO_TENSOR ? ti : v->tensors[ti].base;
        r = &v->tensors[root];
        if (!is_out) {
            if (r->placement == OM_PLACE_INPUT ||
                r->placement == OM_PLACE_WEIGHT || written[root]) {
                continue;
            }
            return BADM("%s: input %" PRIu32 " reads tensor %" PRIu32 " '%s', "
                        "which no earlier task writes (a cycle or a wrong "
                        "order; node '%s')", what, k, ti,
                        om_str(v, v->tensors[ti].name_off), name);
        }
        if (r->placement != OM_PLACE_OUTPUT &&
            r->placement != OM_PLACE_WORKSPACE) {
            return BADM("%s: output %" PRIu32 " writes tensor %" PRIu32
                        ", a model %s (node '%s')", what, k - t->num_inputs,
                        ti, om_placement_name(r->placement), name);
        }
        if (written[root]) {
            return BADM("%s: output %" PRIu32 " writes tensor %" PRIu32
                        " '%s' a second time (node '%s')", what,
                        k - t->num_inputs, ti,
                        om_str(v, v->tensors[ti].name_off), name);
        }
        /* No output may share bytes with another operand of the task. */
        for (uint32_t j = 0; j < n; j++) {
            uint32_t tj = ops[j];
            if (j == k || tj == OM_NO_TENSOR || tj >= h->num_tensors ||
                (j > k && j >= t->num_inputs)) {
                continue;
            }
            if (ranges_overlap(r, om_root(v, &v->tensors[tj]))) {
                return BADM("%s: output %" PRIu32 " (tensor %" PRIu32 ") "
                            "shares bytes with %s %" PRIu32 " (tensor %"
                            PRIu32 ") (node '%s')", what, k - t->num_inputs,
                            ti, j < t->num_inputs ? "input" : "output",
                            j < t->num_inputs ? j : j - t->num_inputs, tj,
                            name);
            }
        }
    }
    for (uint32_t k = t->num_inputs; k < n; k++) {
        uint32_t ti = ops[k];
        written[v->tensors[ti].base == OM_NO_TENSOR ? ti :
                v->tensors[ti].base] = 1;
    }
    return OM_OK;
}

int om_parse(const void *buf, size_t len, const struct om_parse_opts *opts,
             struct om_view *v, struct om_error *err)
{
    const uint8_t *b = buf;
    const struct om_header *h = buf;
    const struct om_section *s;
    uint8_t *written = NULL;
    int rc;

    memset(v, 0, sizeof(*v));
    if (err) {
        err->status = OM_OK;
        err->msg[0] = 0;
    }
    if (!buf || ((uintptr_t)buf % 8)) {
        return BADF("buffer is NULL or not 8-byte aligned");
    }
    rc = check_header(b, len, h, err);
    if (!rc) {
        rc = check_sections(len, h, err);
    }
    if (rc) {
        return rc;
    }
    s = h->sections;
    v->hdr = h;
    v->strings = (const char *)b + s[OM_SEC_STRINGS].offset;
    v->strings_size = s[OM_SEC_STRINGS].size;
    v->inputs = (const struct om_io *)(b + s[OM_SEC_IO].offset);
    v->outputs = v->inputs + h->num_inputs;
    v->tensors = (const struct om_tensor *)(b + s[OM_SEC_TENSORS].offset);
    v->tasks = (const struct om_task *)(b + s[OM_SEC_TASKS].offset);
    v->operands = (const uint32_t *)(b + s[OM_SEC_OPERANDS].offset);
    v->attrs = (const struct om_attr *)(b + s[OM_SEC_ATTRS].offset);
    v->attr_data = b + s[OM_SEC_ATTR_DATA].offset;
    v->attr_data_size = s[OM_SEC_ATTR_DATA].size;
    v->weights = b + s[OM_SEC_WEIGHTS].offset;
    v->weights_size = s[OM_SEC_WEIGHTS].size;

    if (!v->strings_size || v->strings[0] ||
        v->strings[v->strings_size - 1]) {
        rc = BADM("header.sections[STRINGS]: must start and end with NUL "
                  "(offset 0 is the empty name)");
        goto out;
    }
    if (h->num_inputs > OM_MAX_IO || h->num_outputs > OM_MAX_IO) {
        rc = BADM("header.num_inputs/num_outputs: %" PRIu32 "/%" PRIu32
                  " above %u", h->num_inputs, h->num_outputs, OM_MAX_IO);
        goto out;
    }
    if (!h->num_outputs) {
        rc = BADM("header.num_outputs: 0 (a model has outputs)");
        goto out;
    }
    rc = check_table(h, OM_SEC_IO, (uint64_t)h->num_inputs + h->num_outputs,
                     2 * OM_MAX_IO, sizeof(struct om_io),
                     "num_inputs + num_outputs", err);
    if (!rc) {
        rc = check_table(h, OM_SEC_TENSORS, h->num_tensors, OM_MAX_TENSORS,
                         sizeof(struct om_tensor), "num_tensors", err);
    }
    if (!rc) {
        rc = check_table(h, OM_SEC_TASKS, h->num_tasks, OM_MAX_TASKS,
                         sizeof(struct om_task), "num_tasks", err);
    }
    if (!rc) {
        rc = check_table(h, OM_SEC_OPERANDS, h->num_operands, OM_MAX_OPERANDS,
                         sizeof(uint32_t), "num_operands", err);
    }
    if (!rc) {
        rc = check_table(h, OM_SEC_ATTRS, h->num_attrs, OM_MAX_ATTRS,
                         sizeof(struct om_attr), "num_attrs", err);
    }
    if (!rc) {
        rc = check_name(v, h->name_off, "header", err);
    }
    if (rc) {
        goto out;
    }
    /* IO first (tensors check their size against it), shapes only. */
    for (uint32_t i = 0; i < h->num_inputs + h->num_outputs; i++) {
        const struct om_io *io = &v->inputs[i];
        bool o = i >= h->num_inputs;
        char what[48];
        snprintf(what, sizeof(what), "%s[%" PRIu32 "]", o ? "outputs" :
                 "inputs", o ? i - h->num_inputs : i);
        rc = check_name(v, io->name_off, what, err);
        if (!rc) {
            rc = check_shape(io->dtype, io->format, io->ndim, io->dims,
                             io->size, what, err);
        }
        if (rc) {
            goto out;
        }
    }
    for (uint32_t i = 0; i < h->num_tensors; i++) {
        rc = check_tensor(v, i, err);
        if (rc) {
            goto out;
        }
    }
    for (uint32_t i = 0; i < h->num_inputs; i++) {
        rc = check_io(v, &v->inputs[i], i, false, err);
        if (rc) {
            goto out;
        }
    }
    for (uint32_t i = 0; i < h->num_outputs; i++) {
        rc = check_io(v, &v->outputs[i], i, true, err);
        if (rc) {
            goto out;
        }
    }
    for (uint32_t i = 0; i < h->num_attrs; i++) {
        rc = check_attr(v, i, err);
        if (rc) {
            goto out;
        }
    }
    written = calloc(h->num_tensors ? h->num_tensors : 1, 1);
    if (!written) {
        rc = bad(err, OM_E_NOMEM, "out of memory (%" PRIu32 " tensors)",
                 h->num_tensors);
        goto out;
    }
    for (uint32_t i = 0; i < h->num_tasks; i++) {
        rc = check_task(v, i, written, opts, err);
        if (rc) {
            goto out;
        }
    }
    for (uint32_t i = 0; i < h->num_outputs; i++) {
        if (!written[v->outputs[i].tensor]) {
            rc = BADM("outputs[%" PRIu32 "] '%s': no task writes it", i,
                      om_str(v, v->outputs[i].name_off));
            goto out;
        }
    }
out:
    free(written);
    if (rc) {
        memset(v, 0, sizeof(*v));
    }
    return rc;
}
