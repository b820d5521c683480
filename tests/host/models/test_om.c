// SPDX-License-Identifier: MIT
/*
 * The .om format (userspace/om) and the model runner (qemu-device/model):
 *
 *   - a model built with the writer parses back field for field;
 *   - every truncation is refused, also with the header patched to match;
 *   - each offset, size, count, index and enum field, corrupted (and the
 *     checksum fixed, so the check behind it is reached), is refused with
 *     a message naming that field; overflowing sizes and offsets too;
 *   - task-order faults: cycles, double writes, writing inputs or weights,
 *     outputs sharing bytes with inputs, outputs nobody writes;
 *   - unknown op ids, against the caller's op table;
 *   - the runner executes a model and gets the numbers right, refuses
 *     wrong buffers, and names the task when an op refuses.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amdl.h"
#include "om.h"
#include "tap.h"

#define OP_ADD          0x0101u
#define OP_LEAKY_RELU   0x0202u

static uint8_t *good;
static size_t good_len;

static const char *op_known(void *arg, uint32_t id, uint32_t nin,
                            uint32_t nout)
{
    (void)arg;
    (void)nin;
    (void)nout;
    return aop_op_by_id(id) ? NULL : "not in the op table";
}

static const struct om_parse_opts opts = { .op_check = op_known };

static struct om_tensor tensor(struct om_builder *b, const char *name,
                               uint32_t ndim, const int64_t *dims,
                               uint32_t place, uint32_t index,
                               uint64_t offset)
{
    struct om_tensor t = { 0 };
    int64_t n = 1;

    t.name_off = om_b_string(b, name);
    t.dtype = 0;
    t.format = 2;
    t.ndim = ndim;
    for (uint32_t i = 0; i < ndim; i++) {
        t.dims[i] = dims[i];
        n *= dims[i];
    }
    t.size = (uint64_t)n * 4;
    t.placement = place;
    t.index = index;
    t.offset = offset;
    t.base = OM_NO_TENSOR;
    return t;
}

static struct om_io io_of(struct om_builder *b, const struct om_tensor *t,
                          const char *name, uint32_t ti)
{
    struct om_io io = { 0 };

    io.name_off = om_b_string(b, name);
    io.dtype = t->dtype;
    io.format = 2;
    io.ndim = t->ndim;
    memcpy(io.dims, t->dims, sizeof(io.dims));
    io.size = t->size;
    io.tensor = ti;
    return io;
}

/*
 * The model: Z = LeakyRelu(view[6](X + W + Y), alpha 0.5)
 *   X [2,3] input 0, Y [3] input 1, W [2,3] weight, T, U [2,3] workspace,
 *   V [6] view of U, Z [6] output 0. @order_bad swaps the first two tasks
 *   (a read before its write). Extra attributes of every type ride on the
 *   first Add only when @all_attrs (parse tests; the op would refuse them).
 */
static int build(bool order_bad, bool all_attrs, void **buf, size_t *len)
{
    struct om_builder *b = om_builder_new();
    const int64_t d23[2] = { 2, 3 }, d3[1] = { 3 }, d6[1] = { 6 };
    const float w[6] = { 1, 2, 3, 4, 5, 6 };
    struct om_tensor t;
    struct om_io io;
    uint32_t X, Y, W, T, U, V, Z, in[2], out[1];
    uint64_t woff;
    const int64_t ints[3] = { 1, -2, 3 };
    const float fl[2] = { 0.5f, -1.0f };
    const uint8_t bo[2] = { 1, 0 };
    const float alpha = 0.5f;
    struct om_b_attr many[4] = {
        { "ints", OM_ATTR_INT, 3, ints },
        { "floats", OM_ATTR_FLOAT, 2, fl },
        { "flags", OM_ATTR_BOOL, 2, bo },
        { "mode", OM_ATTR_STRING, 4, "edge" },
    };
    struct om_b_attr leaky = { "alpha", OM_ATTR_FLOAT, 1, &alpha };
    int rc;

    om_b_set_name(b, "test_model");
    om_b_set_soc(b, "Ascend910B3");
    t = tensor(b, "X", 2, d23, OM_PLACE_INPUT, 0, 0);
    X = om_b_tensor(b, &t);
    io = io_of(b, &t, "X", X);
    om_b_input(b, &io);
    t = tensor(b, "Y", 1, d3, OM_PLACE_INPUT, 1, 0);
    Y = om_b_tensor(b, &t);
    io = io_of(b, &t, "Y", Y);
    om_b_input(b, &io);
    t = tensor(b, "Z", 1, d6, OM_PLACE_OUTPUT, 0, 0);
    Z = om_b_tensor(b, &t);
    io = io_of(b, &t, "Z", Z);
    om_b_output(b, &io);
    om_b_weights(b, w, sizeof(w), &woff);
    t = tensor(b, "W", 2, d23, OM_PLACE_WEIGHT, 0, woff);
    W = om_b_tensor(b, &t);
    t = tensor(b, "T", 2, d23, OM_PLACE_WORKSPACE, 0, 0);
    T = om_b_tensor(b, &t);
    t = tensor(b, "U", 2, d23, OM_PLACE_WORKSPACE, 0, 64);
    U = om_b_tensor(b, &t);
    t = tensor(b, "V", 1, d6, OM_PLACE_WORKSPACE, 0, 64);
    t.base = U;
    V = om_b_tensor(b, &t);
    om_b_set_workspace(b, 128);

    in[0] = X; in[1] = W; out[0] = T;
    if (!order_bad) {
        om_b_task(b, OP_ADD, "add1", in, 2, out, 1, many,
                  all_attrs ? 4 : 0);
    }
    in[0] = T; in[1] = Y; out[0] = U;
    om_b_task(b, OP_ADD, "add2", in, 2, out, 1, NULL, 0);
    if (order_bad) {
        in[0] = X; in[1] = W; out[0] = T;
        om_b_task(b, OP_ADD, "add1", in, 2, out, 1, NULL, 0);
    }
    in[0] = V; out[0] = Z;
    om_b_task(b, OP_LEAKY_RELU, "leaky", in, 1, out, 1, &leaky, 1);
    rc = om_b_finish(b, buf, len);
    om_builder_free(b);
    return rc;
}

/* A copy of the good file with @n bytes at @off replaced, checksum fixed. */
static uint8_t *patch(size_t off, const void *val, size_t n)
{
    uint8_t *c = aligned_alloc(64, (good_len + 63) / 64 * 64);
    uint32_t sum;

    memcpy(c, good, good_len);
    memcpy(c + off, val, n);
    sum = om_file_checksum(c, good_len);
    memcpy(c + offsetof(struct om_header, checksum), &sum, 4);
    return c;
}

/* Expect the patched file refused with @status and @words in the message. */
static void refuse(const char *what, size_t off, const void *val, size_t n,
                   int status, const char *words)
{
    uint8_t *c = patch(off, val, n);
    struct om_view v;
    struct om_error err;
    int rc = om_parse(c, good_len, &opts, &v, &err);

    TAP_CHECK(rc == status && strstr(err.msg, words),
              "%s: refused (%d, want %d): %s", what, rc, status, err.msg);
    free(c);
}

#define U32(x)  (&(uint32_t){ (x) })
#define U64(x)  (&(uint64_t){ (x) })
#define S64(x)  (&(int64_t){ (x) })
#define U16(x)  (&(uint16_t){ (x) })

static void test_round_trip(void)
{
    struct om_view v;
    struct om_error err;
    int rc = om_parse(good, good_len, &opts, &v, &err);
    const struct om_tensor *t;

    TAP_CHECK(rc == OM_OK, "the written model parses: %s", err.msg);
    if (rc) {
        return;
    }
    TAP_CHECK(v.hdr->num_inputs == 2 && v.hdr->num_outputs == 1 &&
              v.hdr->num_tensors == 7 && v.hdr->num_tasks == 3 &&
              v.hdr->workspace_size == 128 &&
              !strcmp(om_str(&v, v.hdr->name_off), "test_model") &&
              !strcmp(v.hdr->soc_version, "Ascend910B3"),
              "header counts, workspace, name and soc come back");
    TAP_CHECK(!strcmp(om_str(&v, v.inputs[1].name_off), "Y") &&
              v.inputs[1].ndim == 1 && v.inputs[1].dims[0] == 3 &&
              v.inputs[1].size == 12 && !strcmp(om_str(&v,
              v.outputs[0].name_off), "Z") && v.outputs[0].size == 24,
              "input and output descriptions come back");
    t = &v.tensors[6];
    TAP_CHECK(t->base == 5 && t->placement == OM_PLACE_WORKSPACE &&
              t->offset == 64 && t->ndim == 1 && t->dims[0] == 6 &&
              om_root(&v, t) == &v.tensors[5], "the view comes back");
    TAP_CHECK(v.tensors[3].placement == OM_PLACE_WEIGHT &&
              v.weights_size >= 24 &&
              ((const float *)(v.weights + v.tensors[3].offset))[5] == 6.0f,
              "the weights come back");
    {
        const struct om_task *k = &v.tasks[0];
        const struct om_attr *a = &v.attrs[k->attr_first];
        const uint32_t *ops = om_task_operands(&v, k);
        TAP_CHECK(k->op_id == OP_ADD && k->num_inputs == 2 &&
                  k->num_outputs == 1 && ops[0] == 0 && ops[1] == 3 &&
                  ops[2] == 4 && k->attr_count == 4 &&
                  !strcmp(om_str(&v, k->name_off), "add1"),
                  "task 0: op, operands, name");
        TAP_CHECK(a[0].type == OM_ATTR_INT && a[0].count == 3 &&
                  ((const int64_t *)(v.attr_data + a[0].data_off))[1] == -2 &&
                  a[1].type == OM_ATTR_FLOAT &&
                  ((const float *)(v.attr_data + a[1].data_off))[0] == 0.5f &&
                  a[2].type == OM_ATTR_BOOL &&
                  v.attr_data[a[2].data_off] == 1 &&
                  a[3].type == OM_ATTR_STRING && a[3].count == 4 &&
                  !memcmp(v.attr_data + a[3].data_off, "edge", 4) &&
                  !strcmp(om_str(&v, a[3].name_off), "mode"),
                  "attributes of each type come back");
    }
    TAP_CHECK(om_crc32c(0, "123456789", 9) == 0xe3069283u,
              "CRC-32C check value");
}

static void test_truncation(void)
{
    int bad = 0, patched_bad = 0, tries = 0;
    char first[OM_ERR_LEN] = "";

    for (size_t n = 0; n < good_len; n++) {
        uint8_t *c = aligned_alloc(64, (good_len + 63) / 64 * 64);
        struct om_view v;
        struct om_error err;
        memcpy(c, good, n);
        if (om_parse(c, n, &opts, &v, &err) == OM_OK) {
            bad++;
        }
        if (n >= OM_HEADER_SIZE) {
            /* the header made to agree: the sections must catch it */
            uint64_t sz = n;
            uint32_t sum;
            memcpy(c + offsetof(struct om_header, file_size), &sz, 8);
            sum = om_file_checksum(c, n);
            memcpy(c + offsetof(struct om_header, checksum), &sum, 4);
            tries++;
            if (om_parse(c, n, &opts, &v, &err) == OM_OK) {
                patched_bad++;
            } else if (!first[0] && n == good_len - 1) {
                snprintf(first, sizeof(first), "%s", err.msg);
            }
        }
        free(c);
    }
    TAP_CHECK(bad == 0, "all %zu truncations refused", good_len);
    TAP_CHECK(patched_bad == 0, "all %d truncations with file_size and "
              "checksum patched refused (last byte gone: %s)", tries, first);
    {
        struct om_view v;
        struct om_error err;
        int rc = om_parse(good, good_len - 1, &opts, &v, &err);
        TAP_CHECK(rc == OM_E_FILE && strstr(err.msg, "truncated"),
                  "a short file is called truncated: %s", err.msg);
    }
}

static void test_header(void)
{
    struct om_view v;
    struct om_error err;
    uint8_t *c = aligned_alloc(64, (good_len + 63) / 64 * 64);
    int rc;

    memcpy(c, good, good_len);
    c[good_len / 2] ^= 0x40;
    rc = om_parse(c, good_len, &opts, &v, &err);
    TAP_CHECK(rc == OM_E_FILE && strstr(err.msg, "header.checksum"),
              "a flipped bit fails the checksum: %s", err.msg);
    free(c);
    refuse("magic", offsetof(struct om_header, magic), U32(0x12345678), 4,
           OM_E_FILE, "header.magic");
    refuse("version_major", offsetof(struct om_header, version_major), U16(2),
           2, OM_E_FILE, "header.version_major");
    refuse("version_minor", offsetof(struct om_header, version_minor), U16(9),
           2, OM_E_FILE, "newer than this reader");
    refuse("header_size", offsetof(struct om_header, header_size), U32(128),
           4, OM_E_FILE, "header.header_size");
    refuse("file_size", offsetof(struct om_header, file_size),
           U64(UINT64_MAX), 8, OM_E_FILE, "header.file_size");
    refuse("flags", offsetof(struct om_header, flags), U32(1), 4, OM_E_MODEL,
           "header.flags");
    refuse("num_sections", offsetof(struct om_header, num_sections), U32(9),
           4, OM_E_MODEL, "header.num_sections");
    refuse("rsvd", offsetof(struct om_header, rsvd) + 8, U32(1), 4,
           OM_E_MODEL, "header.rsvd");
    refuse("soc_version", offsetof(struct om_header, soc_version),
           "0123456789abcdef0123456789abcdef", 32, OM_E_MODEL,
           "header.soc_version");
    refuse("num_tensors + 1", offsetof(struct om_header, num_tensors), U32(8),
           4, OM_E_MODEL, "sections[TENSORS].size");
    refuse("num_tensors huge", offsetof(struct om_header, num_tensors),
           U32(UINT32_MAX), 4, OM_E_MODEL, "header.num_tensors");
    refuse("num_tasks - 1", offsetof(struct om_header, num_tasks), U32(2), 4,
           OM_E_MODEL, "sections[TASKS].size");
    refuse("num_inputs", offsetof(struct om_header, num_inputs), U32(3), 4,
           OM_E_MODEL, "sections[IO].size");
    refuse("num_outputs 0", offsetof(struct om_header, num_outputs), U32(0), 4,
           OM_E_MODEL, "header.num_outputs");
    refuse("num_operands", offsetof(struct om_header, num_operands), U32(1),
           4, OM_E_MODEL, "sections[OPERANDS].size");
    refuse("num_attrs", offsetof(struct om_header, num_attrs),
           U32(0x7fffffff), 4, OM_E_MODEL, "header.num_attrs");
    refuse("name_off", offsetof(struct om_header, name_off), U32(1u << 30), 4,
           OM_E_MODEL, "header.name_off");
    refuse("workspace_size too small",
           offsetof(struct om_header, workspace_size), U64(80), 8,
           OM_E_MODEL, "runs past the 80-byte workspace");
}

static void test_sections(void)
{
    for (uint32_t i = 0; i < OM_SEC_COUNT; i++) {
        size_t so = offsetof(struct om_header, sections) +
                    i * sizeof(struct om_section);
        const struct om_section *s = &((const struct om_header *)good)->
                                     sections[i];
        char what[160], words[64];
        snprintf(words, sizeof(words), "sections[%s]", om_section_name(i));
        if (!s->size) {
            continue;
        }
        snprintf(what, sizeof(what), "%s.offset past the end", words);
        refuse(what, so, U64(good_len + 64), 8, OM_E_MODEL, words);
        snprintf(what, sizeof(what), "%s.offset misaligned", words);
        refuse(what, so, U64(s->offset + 8), 8, OM_E_MODEL, words);
        snprintf(what, sizeof(what), "%s.offset overflowing", words);
        refuse(what, so, U64(UINT64_MAX - 63), 8, OM_E_MODEL, words);
        snprintf(what, sizeof(what), "%s.offset inside the header", words);
        refuse(what, so, U64(0), 8, OM_E_MODEL, words);
        snprintf(what, sizeof(what), "%s.size past the end", words);
        refuse(what, so + 8, U64(good_len - s->offset + 1), 8, OM_E_MODEL,
               words);
        snprintf(what, sizeof(what), "%s.size overflowing", words);
        refuse(what, so + 8, U64(UINT64_MAX), 8, OM_E_MODEL, words);
        if (i > 0) {
            /* onto the previous non-empty section */
            for (int j = (int)i - 1; j >= 0; j--) {
                const struct om_section *p = &((const struct om_header *)
                                               good)->sections[j];
                if (p->size) {
                    snprintf(what, sizeof(what), "%s overlapping", words);
                    refuse(what, so, U64(p->offset), 8, OM_E_MODEL,
                           "overlaps");
                    break;
                }
            }
        }
    }
    {
        const struct om_section *s = &((const struct om_header *)good)->
                                     sections[OM_SEC_STRINGS];
        refuse("STRINGS not NUL-terminated", s->offset + s->size - 1, "x", 1,
               OM_E_MODEL, "sections[STRINGS]");
    }
}

/* Offsets of entries inside the good file. */
static size_t sec_off(uint32_t id)
{
    return ((const struct om_header *)good)->sections[id].offset;
}

static size_t tensor_off(uint32_t i, size_t field)
{
    return sec_off(OM_SEC_TENSORS) + i * sizeof(struct om_tensor) + field;
}

static size_t io_off(uint32_t i, size_t field)
{
    return sec_off(OM_SEC_IO) + i * sizeof(struct om_io) + field;
}

static size_t task_off(uint32_t i, size_t field)
{
    return sec_off(OM_SEC_TASKS) + i * sizeof(struct om_task) + field;
}

static size_t attr_off(uint32_t i, size_t field)
{
    return sec_off(OM_SEC_ATTRS) + i * sizeof(struct om_attr) + field;
}

#define TF(f)   offsetof(struct om_tensor, f)
#define IF(f)   offsetof(struct om_io, f)
#define KF(f)   offsetof(struct om_task, f)
#define AF(f)   offsetof(struct om_attr, f)

static void test_tensors(void)
{
    /* tensors: 0 X, 1 Y, 2 Z, 3 W, 4 T, 5 U, 6 V (view of U) */
    refuse("tensor name_off", tensor_off(4, TF(name_off)), U32(99999), 4,
           OM_E_MODEL, "tensors[4].name_off");
    refuse("tensor dtype", tensor_off(4, TF(dtype)), U32(99), 4, OM_E_MODEL,
           "tensors[4].dtype");
    refuse("tensor format", tensor_off(4, TF(format)), U32(29), 4, OM_E_MODEL,
           "tensors[4].format");
    refuse("tensor ndim", tensor_off(4, TF(ndim)), U32(9), 4, OM_E_MODEL,
           "tensors[4].ndim");
    refuse("tensor dims negative", tensor_off(4, TF(dims) + 8), S64(-1), 8,
           OM_E_MODEL, "tensors[4].dims[1]");
    refuse("tensor dims beyond ndim", tensor_off(4, TF(dims) + 16), S64(1), 8,
           OM_E_MODEL, "tensors[4].dims[2]");
    refuse("tensor dims overflowing", tensor_off(4, TF(dims)),
           S64(INT64_MAX), 8, OM_E_MODEL, "tensors[4].dims[0]");
    refuse("tensor dims/size mismatch", tensor_off(4, TF(dims) + 8), S64(4),
           8, OM_E_MODEL, "tensors[4].size");
    refuse("tensor size", tensor_off(4, TF(size)), U64(28), 8, OM_E_MODEL,
           "tensors[4].size");
    refuse("tensor size huge", tensor_off(4, TF(size)), U64(UINT64_MAX), 8,
           OM_E_MODEL, "tensors[4].size");
    refuse("tensor placement", tensor_off(4, TF(placement)), U32(9), 4,
           OM_E_MODEL, "tensors[4].placement");
    refuse("tensor index (input)", tensor_off(1, TF(index)), U32(2), 4,
           OM_E_MODEL, "tensors[1].index");
    refuse("tensor index (workspace)", tensor_off(4, TF(index)), U32(1), 4,
           OM_E_MODEL, "tensors[4].index");
    refuse("tensor offset (input)", tensor_off(0, TF(offset)), U64(64), 8,
           OM_E_MODEL, "tensors[0].offset");
    refuse("tensor offset misaligned", tensor_off(4, TF(offset)), U64(8), 8,
           OM_E_MODEL, "tensors[4].offset");
    refuse("tensor offset past the workspace", tensor_off(4, TF(offset)),
           U64(128), 8, OM_E_MODEL, "tensors[4].offset");
    refuse("tensor offset overflowing", tensor_off(4, TF(offset)),
           U64(UINT64_MAX - 63), 8, OM_E_MODEL, "tensors[4].offset");
    refuse("weight offset past WEIGHTS", tensor_off(3, TF(offset)),
           U64(1u << 20), 8, OM_E_MODEL, "WEIGHTS section");
    refuse("tensor base itself", tensor_off(6, TF(base)), U32(6), 4,
           OM_E_MODEL, "tensors[6].base");
    refuse("tensor base later", tensor_off(5, TF(base)), U32(6), 4,
           OM_E_MODEL, "tensors[5].base");
    refuse("view with another offset", tensor_off(6, TF(offset)), U64(0), 8,
           OM_E_MODEL, "tensors[6].base");
    refuse("tensor flags", tensor_off(4, TF(flags)), U32(1), 4, OM_E_MODEL,
           "tensors[4].flags");
    refuse("input tensor size vs its io", tensor_off(1, TF(dims)), S64(4), 8,
           OM_E_MODEL, "tensors[1].size");
}

static void test_io(void)
{
    refuse("io tensor out of range", io_off(0, IF(tensor)), U32(70), 4,
           OM_E_MODEL, "inputs[0].tensor");
    refuse("io tensor another input", io_off(0, IF(tensor)), U32(1), 4,
           OM_E_MODEL, "inputs[0].tensor");
    refuse("io tensor a workspace tensor", io_off(2, IF(tensor)), U32(4), 4,
           OM_E_MODEL, "outputs[0].tensor");
    refuse("io size", io_off(0, IF(size)), U64(20), 8, OM_E_MODEL,
           "inputs[0].size");
    refuse("io dtype", io_off(0, IF(dtype)), U32(5), 4, OM_E_MODEL,
           "inputs[0].dtype");
    refuse("io dims vs its tensor", io_off(0, IF(dims)), S64(3), 8,
           OM_E_MODEL, "inputs[0].size");
    refuse("io rsvd", io_off(2, IF(rsvd) + 4), U32(1), 4, OM_E_MODEL,
           "outputs[0].rsvd");
    refuse("io name_off", io_off(2, IF(name_off)), U32(UINT32_MAX), 4,
           OM_E_MODEL, "outputs[0].name_off");
}

static void test_tasks(void)
{
    refuse("task op_id unknown", task_off(1, KF(op_id)), U32(0x7777), 4,
           OM_E_MODEL, "tasks[1].op_id: 0x7777: not in the op table");
    refuse("task operand_first", task_off(1, KF(operand_first)),
           U32(UINT32_MAX - 1), 4, OM_E_MODEL, "tasks[1].operand_first");
    refuse("task num_inputs", task_off(1, KF(num_inputs)), U16(UINT16_MAX), 2,
           OM_E_MODEL, "tasks[1].num_inputs");
    refuse("task num_outputs 0", task_off(1, KF(num_outputs)), U16(0), 2,
           OM_E_MODEL, "tasks[1].num_outputs");
    refuse("task attr_first", task_off(0, KF(attr_first)), U32(UINT32_MAX),
           4, OM_E_MODEL, "tasks[0].attr_first");
    refuse("task attr_count", task_off(0, KF(attr_count)), U32(UINT32_MAX),
           4, OM_E_MODEL, "tasks[0].attr_first");
    refuse("task name_off", task_off(2, KF(name_off)), U32(1u << 31), 4,
           OM_E_MODEL, "tasks[2].name_off");
    refuse("task rsvd", task_off(2, KF(rsvd)), U32(1), 4, OM_E_MODEL,
           "tasks[2].flags/rsvd");
    /* operands: task 0: 0 3 -> 4; task 1: 4 1 -> 5; task 2: 6 -> 2 */
    refuse("operand out of range", sec_off(OM_SEC_OPERANDS) + 4 * 4, U32(7),
           4, OM_E_MODEL, "tensor 7 is not below num_tensors");
    refuse("task writes a model input", sec_off(OM_SEC_OPERANDS) + 2 * 4,
           U32(0), 4, OM_E_MODEL, "a model input");
    refuse("task writes a weight", sec_off(OM_SEC_OPERANDS) + 2 * 4, U32(3), 4,
           OM_E_MODEL, "a model weight");
    refuse("task writes a tensor twice", sec_off(OM_SEC_OPERANDS) + 5 * 4,
           U32(4), 4, OM_E_MODEL, "a second time");
    refuse("task output shares bytes with an input (in place)",
           tensor_off(4, TF(offset)), U64(64), 8, OM_E_MODEL,
           "shares bytes");
    refuse("task reads before anyone writes", sec_off(OM_SEC_OPERANDS) + 3 * 4,
           U32(6), 4, OM_E_MODEL, "which no earlier task writes");
    refuse("no task writes the output", sec_off(OM_SEC_OPERANDS) + 7 * 4,
           U32(4), 4, OM_E_MODEL, "a second time");
    {
        void *buf;
        size_t len;
        struct om_view v;
        struct om_error err;
        int rc = build(true, false, &buf, &len);
        if (!rc) {
            rc = om_parse(buf, len, &opts, &v, &err);
        }
        TAP_CHECK(rc == OM_E_MODEL && strstr(err.msg, "tasks[0]: input 0 "
                  "reads tensor 4 'T', which no earlier task writes"),
                  "tasks out of order (a cycle) refused: %s", err.msg);
        free(buf);
    }
}

static void test_attrs(void)
{
    refuse("attr type", attr_off(0, AF(type)), U32(7), 4, OM_E_MODEL,
           "attrs[0].type");
    refuse("attr data_size", attr_off(0, AF(data_size)), U64(16), 8,
           OM_E_MODEL, "attrs[0].data_size");
    refuse("attr count overflowing", attr_off(0, AF(count)), U32(UINT32_MAX),
           4, OM_E_MODEL, "attrs[0].data_size");
    refuse("attr data_off past ATTR_DATA", attr_off(0, AF(data_off)),
           U64(1u << 20), 8, OM_E_MODEL, "attrs[0].data_off");
    refuse("attr data_off overflowing", attr_off(0, AF(data_off)),
           U64(UINT64_MAX - 7), 8, OM_E_MODEL, "attrs[0].data_off");
    refuse("attr data_off misaligned", attr_off(0, AF(data_off)), U64(4), 8,
           OM_E_MODEL, "attrs[0].data_off");
    refuse("attr name empty", attr_off(1, AF(name_off)), U32(0), 4,
           OM_E_MODEL, "attrs[1].name_off: empty");
    {
        const struct om_header *h = (const void *)good;
        const struct om_attr *a = (const void *)(good +
                                  h->sections[OM_SEC_ATTRS].offset);
        refuse("attr bool 2", sec_off(OM_SEC_ATTR_DATA) + a[2].data_off,
               "\x02", 1, OM_E_MODEL, "attrs[2]: bool value 2");
    }
}

/* ---- the runner ---- */

struct exec_env {
    void *om;
    size_t len;
    struct amdl_model *m;
    float x[6], y[3], z[6];
    float ws[32] __attribute__((aligned(64)));
    struct amdl_buffer in[2], out[1];
    struct amdl_exec ex;
};

static int env_init(struct exec_env *E)
{
    struct amdl_error err;
    uint64_t off, size;

    memset(E, 0, sizeof(*E));
    if (build(false, false, &E->om, &E->len) ||
        amdl_load(E->om, E->len, &E->m, &err)) {
        return -1;
    }
    for (int i = 0; i < 6; i++) {
        E->x[i] = (float)(i - 4);           /* -4 .. 1 */
    }
    E->y[0] = -10; E->y[1] = 0; E->y[2] = 1;
    E->in[0] = (struct amdl_buffer){ E->x, sizeof(E->x) };
    E->in[1] = (struct amdl_buffer){ E->y, sizeof(E->y) };
    E->out[0] = (struct amdl_buffer){ E->z, sizeof(E->z) };
    amdl_weights_span(E->m, &off, &size);
    E->ex.inputs = E->in;
    E->ex.num_inputs = 2;
    E->ex.outputs = E->out;
    E->ex.num_outputs = 1;
    E->ex.weights = (uint8_t *)E->om + off;
    E->ex.weights_size = size;
    E->ex.workspace = E->ws;
    E->ex.workspace_size = sizeof(E->ws);
    return 0;
}

static void test_runner(void)
{
    struct exec_env E;
    struct amdl_error err;
    struct aop_ctx ctx = { .threads = 2 };
    bool ok = true;
    int rc;

    TAP_CHECK(env_init(&E) == 0, "the runner loads the model");
    if (!E.m) {
        free(E.om);
        return;
    }
    TAP_CHECK(amdl_num_inputs(E.m) == 2 && amdl_num_outputs(E.m) == 1 &&
              amdl_workspace_size(E.m) == 128 && amdl_num_tasks(E.m) == 3 &&
              !strcmp(amdl_input(E.m, 1)->name, "Y") &&
              amdl_output(E.m, 0)->size == 24 && !amdl_input(E.m, 2) &&
              !strcmp(amdl_task_op(E.m, 2), "LeakyRelu"),
              "descriptions: counts, names, sizes, task ops");
    E.ex.workspace_size = 128;
    {
        static float ws[32] __attribute__((aligned(64)));
        E.ex.workspace = ws;
        /* the .om buffer may go: the model holds its own copy */
        memset((uint8_t *)E.om + OM_HEADER_SIZE, 0xee, 8);
        rc = amdl_execute(E.m, &ctx, &E.ex, &err);
        TAP_CHECK(rc == AMDL_OK, "executes: %s", err.msg);
        for (int i = 0; i < 6; i++) {
            float s = E.x[i] + (float)(i + 1) + E.y[i % 3];
            float want = s < 0 ? 0.5f * s : s;
            ok &= E.z[i] == want;
        }
        TAP_CHECK(ok, "Z = LeakyRelu(X + W + Y): %g %g %g %g %g %g", E.z[0],
                  E.z[1], E.z[2], E.z[3], E.z[4], E.z[5]);
        E.ex.num_inputs = 1;
        rc = amdl_execute(E.m, &ctx, &E.ex, &err);
        TAP_CHECK(rc == AMDL_E_ARG && strstr(err.msg, "1 input and 1 output "
                  "buffers, the model has 2 and 1"), "wrong buffer count: %s",
                  err.msg);
        E.ex.num_inputs = 2;
        E.in[1].size = 8;
        rc = amdl_execute(E.m, &ctx, &E.ex, &err);
        TAP_CHECK(rc == AMDL_E_ARG && strstr(err.msg, "input 1 'Y': buffer "
                  "of 8 bytes, the model needs 12"), "short input: %s",
                  err.msg);
        E.in[1].size = 12;
        E.ex.workspace_size = 64;
        rc = amdl_execute(E.m, &ctx, &E.ex, &err);
        TAP_CHECK(rc == AMDL_E_ARG && strstr(err.msg, "workspace"),
                  "short workspace: %s", err.msg);
        E.ex.workspace_size = 128;
        E.ex.workspace = (uint8_t *)ws + 4;
        rc = amdl_execute(E.m, &ctx, &E.ex, &err);
        TAP_CHECK(rc == AMDL_E_ARG && strstr(err.msg, "aligned"),
                  "misaligned workspace: %s", err.msg);
        E.ex.workspace = ws;
        E.ex.weights_size = 4;
        rc = amdl_execute(E.m, &ctx, &E.ex, &err);
        TAP_CHECK(rc == AMDL_E_ARG && strstr(err.msg, "weights"),
                  "short weights: %s", err.msg);
    }
    amdl_free(E.m);
    free(E.om);
    {
        /* an op that refuses: the first Add gets attributes Add lacks */
        void *buf;
        size_t len;
        struct amdl_model *m;
        rc = build(false, true, &buf, &len);
        rc = rc ? -1 : amdl_load(buf, len, &m, &err);
        if (!rc) {
            static float ws[32] __attribute__((aligned(64)));
            float x[6] = { 0 }, y[3] = { 0 }, z[6];
            struct amdl_buffer in[2] = { { x, 24 }, { y, 12 } };
            struct amdl_buffer out[1] = { { z, 24 } };
            struct amdl_exec ex = { in, 2, out, 1, NULL, 0, ws, 128, NULL,
                                    NULL, NULL };
            uint64_t off, size;
            amdl_weights_span(m, &off, &size);
            ex.weights = (uint8_t *)buf + off;
            ex.weights_size = size;
            rc = amdl_execute(m, &ctx, &ex, &err);
            TAP_CHECK(rc == AMDL_E_OP && err.task == 0 &&
                      strstr(err.msg, "task 0 (node 'add1', Add): ") &&
                      strstr(err.msg, "attribute"),
                      "an op's refusal names the task, node and op: %s",
                      err.msg);
            rc = amdl_check(m, &ctx, &ex, &err);
            TAP_CHECK(rc == AMDL_E_OP && err.task == 0,
                      "amdl_check finds it without running: %s", err.msg);
            amdl_free(m);
        } else {
            TAP_CHECK(0, "the model with extra attributes loads");
        }
        free(buf);
    }
    {
        uint8_t junk[64] __attribute__((aligned(64))) = { 0 };
        struct amdl_model *m;
        rc = amdl_load(junk, sizeof(junk), &m, &err);
        TAP_CHECK(rc == AMDL_E_FILE && !m && strstr(err.msg, "shorter"),
                  "a non-model is an invalid file: %s", err.msg);
    }
}

int main(void)
{
    void *buf;

    if (build(false, true, &buf, &good_len)) {
        TAP_CHECK(0, "the writer builds the test model");
        return tap_done();
    }
    good = buf;
    test_round_trip();
    test_truncation();
    test_header();
    test_sections();
    test_tensors();
    test_io();
    test_tasks();
    test_attrs();
    test_runner();
    free(good);
    return tap_done();
}
