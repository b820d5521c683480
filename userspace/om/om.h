/* SPDX-License-Identifier: MIT */
/*
 * om: read and write vascend's .om offline models (om_format.h). Shared by
 * atc (writes), the AscendCL runtime (reads the descriptions) and the
 * device's model runner (reads everything). Plain C11, no other part of
 * vascend needed.
 *
 * Reading: om_parse() checks the whole file before anything uses it: every
 * offset and size (overflow-safe), counts, names, dtypes, shapes against
 * sizes, placements against the sections and the workspace, op ids
 * against the caller's op table, and the task order (no task reads a
 * tensor that no earlier task, input or weight produced). On success the
 * view points into the caller's buffer; a caller that cannot trust the
 * buffer to stay unchanged (device memory the guest can write) copies what
 * it needs before it lets go of the buffer. On failure the error names
 * the field, e.g. "tensors[12].size: 1024, but dims [1,3,8,8] of float
 * need 768".
 *
 * Writing: struct om_builder collects strings, tensors, tasks, attributes
 * and weights and lays them out; it checks nothing (so tests can build
 * broken files), om_parse() does.
 */
#ifndef OM_H
#define OM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "om_format.h"

#define OM_ERR_LEN          256
/* Limits of this reader (the format's fields are wider). */
#define OM_MAX_TENSORS      (1u << 20)
#define OM_MAX_TASKS        (1u << 20)
#define OM_MAX_OPERANDS     (1u << 22)
#define OM_MAX_ATTRS        (1u << 22)
#define OM_MAX_IO           4096u
#define OM_MAX_TASK_OPERANDS 64u
#define OM_MAX_ELEMS        (1LL << 40)
/* om_read_file() refuses larger files. */
#define OM_MAX_FILE         (1ULL << 32)

enum om_status {
    OM_OK = 0,
    /*
     * Not an .om this reader takes: short, magic, version, size, checksum
     * (the runtime reports ACL_ERROR_INVALID_FILE).
     */
    OM_E_FILE,
    /* An .om whose content is inconsistent. (ACL_ERROR_PARSE_MODEL.) */
    OM_E_MODEL,
    OM_E_NOMEM,
};

struct om_error {
    int status;
    char msg[OM_ERR_LEN];
};

/*
 * Is @op_id an op the executor knows, taking @nin inputs and @nout
 * outputs? Return NULL when fine, else a short reason ("unknown op id",
 * "takes 1..2 inputs"). @arg is struct om_parse_opts.op_arg.
 */
typedef const char *(*om_op_check_fn)(void *arg, uint32_t op_id,
                                      uint32_t nin, uint32_t nout);

struct om_parse_opts {
    om_op_check_fn op_check;    /* NULL: op ids are not checked */
    void *op_arg;
};

/* A parsed, checked model: pointers into the caller's buffer. */
struct om_view {
    const struct om_header *hdr;
    const char *strings;
    uint64_t strings_size;
    const struct om_io *inputs;
    const struct om_io *outputs;
    const struct om_tensor *tensors;
    const struct om_task *tasks;
    const uint32_t *operands;
    const struct om_attr *attrs;
    const uint8_t *attr_data;
    uint64_t attr_data_size;
    const uint8_t *weights;
    uint64_t weights_size;
};

/*
 * Check @len bytes at @buf (8-byte aligned) and fill @v. Returns OM_OK,
 * or a status with @err->msg naming the field.
 */
int om_parse(const void *buf, size_t len, const struct om_parse_opts *opts,
             struct om_view *v, struct om_error *err);

/* A string of a parsed model (offsets were checked). */
const char *om_str(const struct om_view *v, uint32_t off);
/* The task's operands: inputs[0..num_inputs), then the outputs. */
static inline const uint32_t *om_task_operands(const struct om_view *v,
                                               const struct om_task *t)
{
    return v->operands + t->operand_first;
}
/* The tensor a view views (itself when no view). */
static inline const struct om_tensor *om_root(const struct om_view *v,
                                              const struct om_tensor *t)
{
    return t->base == OM_NO_TENSOR ? t : &v->tensors[t->base];
}

/* Bytes per element of an aclDataType .om files may carry; 0 if none. */
size_t om_dtype_size(uint32_t dtype);
const char *om_dtype_name(uint32_t dtype);
const char *om_format_name(uint32_t format);
const char *om_placement_name(uint32_t placement);
const char *om_section_name(uint32_t id);

/* CRC-32C of @len bytes, continuing from @crc (start with 0). */
uint32_t om_crc32c(uint32_t crc, const void *buf, size_t len);
/* The checksum om_parse() expects of a whole file (header included). */
uint32_t om_file_checksum(const void *buf, size_t len);

/* ---- writing ---- */

struct om_builder;

struct om_builder *om_builder_new(void);
void om_builder_free(struct om_builder *b);

/* Offset of @s in STRINGS (added once, reused after). UINT32_MAX on OOM. */
uint32_t om_b_string(struct om_builder *b, const char *s);
/*
 * Append tensor @t (filled by the caller; names via om_b_string). Returns
 * its index, or OM_NO_TENSOR on OOM.
 */
uint32_t om_b_tensor(struct om_builder *b, const struct om_tensor *t);
/* Append @size bytes to WEIGHTS, 64-aligned; *@offset gets where. */
int om_b_weights(struct om_builder *b, const void *data, uint64_t size,
                 uint64_t *offset);
/* Append an input / output description. */
int om_b_input(struct om_builder *b, const struct om_io *io);
int om_b_output(struct om_builder *b, const struct om_io *io);

/* An attribute for om_b_task(); @data holds @count elements of @type. */
struct om_b_attr {
    const char *name;
    uint32_t type;
    uint32_t count;
    const void *data;
};

/*
 * Append a task; tensor indices in @in (OM_NO_TENSOR for an omitted
 * optional input) and @out.
 */
int om_b_task(struct om_builder *b, uint32_t op_id, const char *name,
              const uint32_t *in, uint32_t nin, const uint32_t *out,
              uint32_t nout, const struct om_b_attr *attrs, uint32_t nattrs);

void om_b_set_workspace(struct om_builder *b, uint64_t size);
void om_b_set_name(struct om_builder *b, const char *name);
void om_b_set_soc(struct om_builder *b, const char *soc);

/* Tensors added so far (for callers that patch them). */
uint32_t om_b_num_tensors(const struct om_builder *b);
struct om_tensor *om_b_tensor_at(struct om_builder *b, uint32_t i);

/*
 * Lay out the file into a malloc'd buffer (*@buf, *@len), checksum
 * included. Returns 0 or -1 (out of memory, or a count above a limit).
 */
int om_b_finish(struct om_builder *b, void **buf, size_t *len);

/* Helpers for files. */
int om_write_file(const char *path, const void *buf, size_t len,
                  char *err, size_t errlen);
/* Reads a whole file into a 64-byte-aligned buffer (free() it). */
void *om_read_file(const char *path, size_t *len, char *err, size_t errlen);

#endif /* OM_H */
