/* SPDX-License-Identifier: MIT */
/*
 * The .om file: vascend's offline model, as atc writes it and the runtime
 * and the device read it. docs/om-format.md is the prose version.
 *
 * Little-endian, fixed-width fields, explicit padding, reserved fields zero.
 * A file is a header followed by sections; the header's section table says
 * where each section is (64-byte aligned, inside the file, not overlapping):
 *
 *   struct om_header                        (256 bytes, at offset 0)
 *   STRINGS   NUL-terminated names; offset 0 is ""
 *   IO        struct om_io[num_inputs + num_outputs], inputs first
 *   TENSORS   struct om_tensor[num_tensors]
 *   TASKS     struct om_task[num_tasks], in execution order
 *   OPERANDS  uint32_t[num_operands]: tensor indices, each task's inputs
 *             then outputs (OM_NO_TENSOR: an omitted optional input)
 *   ATTRS     struct om_attr[num_attrs]
 *   ATTR_DATA attribute values, each 8-byte aligned
 *   WEIGHTS   constant tensors' bytes, each 64-byte aligned
 *
 * Every tensor lives in one place: a model input or output buffer, the
 * weights section, or the workspace (intermediates, at offsets atc planned;
 * tensors whose lifetimes do not overlap share bytes). A tensor may be a
 * view of an earlier one (reshaped: the same bytes, other dims).
 */
#ifndef OM_FORMAT_H
#define OM_FORMAT_H

#include <stdint.h>

#define OM_MAGIC            0x314d4f56u     /* "VOM1" in file order */
#define OM_VERSION_MAJOR    1
#define OM_VERSION_MINOR    0
#define OM_HEADER_SIZE      256
#define OM_SECTION_ALIGN    64
/* Weight and workspace offsets are multiples of this. */
#define OM_DATA_ALIGN       64
#define OM_ATTR_ALIGN       8
#define OM_MAX_DIMS         8
#define OM_SOC_LEN          32
#define OM_NO_TENSOR        0xffffffffu

enum om_section_id {
    OM_SEC_STRINGS = 0,
    OM_SEC_IO,
    OM_SEC_TENSORS,
    OM_SEC_TASKS,
    OM_SEC_OPERANDS,
    OM_SEC_ATTRS,
    OM_SEC_ATTR_DATA,
    OM_SEC_WEIGHTS,
    OM_SEC_COUNT,
};

/* struct om_tensor.placement */
enum om_placement {
    OM_PLACE_INPUT = 1,         /* model input @index's buffer */
    OM_PLACE_OUTPUT = 2,        /* model output @index's buffer */
    OM_PLACE_WEIGHT = 3,        /* WEIGHTS section + @offset */
    OM_PLACE_WORKSPACE = 4,     /* the workspace + @offset */
};

/* struct om_attr.type: the same numbers as VASCEND_ATTR_* and AOP_ATTR_* */
enum om_attr_type {
    OM_ATTR_INT = 1,            /* count x int64_t */
    OM_ATTR_FLOAT = 2,          /* count x float */
    OM_ATTR_BOOL = 3,           /* count x uint8_t, 0 or 1 */
    OM_ATTR_STRING = 4,         /* count bytes, no NUL */
};

/**
 * struct om_section - where one section is
 * @offset: from the file's start; a multiple of OM_SECTION_ALIGN (0 when
 *     @size is 0)
 * @size: bytes
 */
struct om_section {
    uint64_t offset;
    uint64_t size;
};

/**
 * struct om_header - at offset 0
 * @magic: OM_MAGIC
 * @version_major: OM_VERSION_MAJOR; another major is refused
 * @version_minor: at most OM_VERSION_MINOR
 * @header_size: OM_HEADER_SIZE
 * @flags: none defined; zero
 * @file_size: bytes of the whole file
 * @checksum: CRC-32C (Castagnoli) of the whole file, this field read as 0
 * @num_sections: OM_SEC_COUNT
 * @workspace_size: bytes of workspace an execution needs
 * @num_inputs: model inputs (IO entries 0..num_inputs-1)
 * @num_outputs: model outputs (the IO entries after the inputs)
 * @num_tensors: entries of TENSORS
 * @num_tasks: entries of TASKS
 * @num_operands: entries of OPERANDS
 * @num_attrs: entries of ATTRS
 * @name_off: the model's name in STRINGS
 * @rsvd0: zero
 * @soc_version: the --soc_version atc was given, NUL-padded
 * @sections: indexed by enum om_section_id
 * @rsvd: zero
 */
struct om_header {
    uint32_t magic;
    uint16_t version_major;
    uint16_t version_minor;
    uint32_t header_size;
    uint32_t flags;
    uint64_t file_size;
    uint32_t checksum;
    uint32_t num_sections;
    uint64_t workspace_size;
    uint32_t num_inputs;
    uint32_t num_outputs;
    uint32_t num_tensors;
    uint32_t num_tasks;
    uint32_t num_operands;
    uint32_t num_attrs;
    uint32_t name_off;
    uint32_t rsvd0;
    char soc_version[OM_SOC_LEN];
    struct om_section sections[OM_SEC_COUNT];
    uint32_t rsvd[6];
};

/**
 * struct om_io - one model input or output, as aclmdlGetDesc reports it
 * @name_off: name in STRINGS (the ONNX graph input/output name)
 * @dtype: aclDataType number
 * @format: aclFormat number
 * @ndim: dims used
 * @dims: shape; unused entries zero
 * @size: bytes of the buffer the caller passes (elements * dtype size)
 * @tensor: the tensor that is this buffer (placement INPUT/OUTPUT, same
 *     index, dtype, dims, size; not a view)
 * @rsvd: zero
 */
struct om_io {
    uint32_t name_off;
    uint32_t dtype;
    uint32_t format;
    uint32_t ndim;
    int64_t dims[OM_MAX_DIMS];
    uint64_t size;
    uint32_t tensor;
    uint32_t rsvd[9];
};

/**
 * struct om_tensor - one tensor of the graph
 * @name_off: name in STRINGS (the ONNX value name; "" for made-up tensors)
 * @dtype: aclDataType number
 * @format: aclFormat number
 * @ndim: dims used
 * @dims: shape; unused entries zero
 * @placement: enum om_placement
 * @index: input or output number for INPUT/OUTPUT; zero otherwise
 * @offset: into WEIGHTS or the workspace (multiple of OM_DATA_ALIGN); zero
 *     for INPUT/OUTPUT
 * @size: bytes: elements * dtype size
 * @base: OM_NO_TENSOR, or the earlier tensor whose bytes this one views
 *     (same placement, index, offset and size; the base is no view itself)
 * @flags: none defined; zero
 * @rsvd: zero
 */
struct om_tensor {
    uint32_t name_off;
    uint32_t dtype;
    uint32_t format;
    uint32_t ndim;
    int64_t dims[OM_MAX_DIMS];
    uint32_t placement;
    uint32_t index;
    uint64_t offset;
    uint64_t size;
    uint32_t base;
    uint32_t flags;
    uint32_t rsvd[4];
};

/**
 * struct om_task - one op launch; tasks run in file order
 * @op_id: the op table's id (aop; the firmware's op table)
 * @num_inputs: input operands
 * @num_outputs: output operands, after the inputs in OPERANDS
 * @operand_first: first OPERANDS entry of this task
 * @attr_first: first ATTRS entry of this task
 * @attr_count: attributes
 * @name_off: the ONNX node's name
 * @flags: none defined; zero
 * @rsvd: zero
 */
struct om_task {
    uint32_t op_id;
    uint16_t num_inputs;
    uint16_t num_outputs;
    uint32_t operand_first;
    uint32_t attr_first;
    uint32_t attr_count;
    uint32_t name_off;
    uint32_t flags;
    uint32_t rsvd;
};

/**
 * struct om_attr - one attribute of a task (the op descriptor's)
 * @name_off: name in STRINGS
 * @type: enum om_attr_type
 * @count: elements (bytes for strings)
 * @rsvd: zero
 * @data_off: into ATTR_DATA, a multiple of OM_ATTR_ALIGN
 * @data_size: count * element size
 */
struct om_attr {
    uint32_t name_off;
    uint32_t type;
    uint32_t count;
    uint32_t rsvd;
    uint64_t data_off;
    uint64_t data_size;
};

_Static_assert(sizeof(struct om_section) == 16, "om_section layout");
_Static_assert(sizeof(struct om_header) == OM_HEADER_SIZE, "om_header layout");
_Static_assert(sizeof(struct om_io) == 128, "om_io layout");
_Static_assert(sizeof(struct om_tensor) == 128, "om_tensor layout");
_Static_assert(sizeof(struct om_task) == 32, "om_task layout");
_Static_assert(sizeof(struct om_attr) == 32, "om_attr layout");
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the .om structs are read in place: little-endian hosts only"
#endif

#endif /* OM_FORMAT_H */
