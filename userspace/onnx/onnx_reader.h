/* SPDX-License-Identifier: MIT */
/*
 * onnx_reader: load ONNX files (ModelProto .onnx, TensorProto .pb) with
 * protobuf-c, from the onnx.proto Debian's libonnx-dev ships (compiled at
 * build time, see Makefile). Shared by the op tests and, later, the model
 * converter.
 *
 * Everything read is checked: a malformed or hostile file gives an error
 * message, never a crash or an unbounded allocation.
 *
 * Tensors come out as plain packed little-endian arrays with their dtype
 * as an AscendCL aclDataType number, so the reader needs no other part of
 * vascend.
 */
#ifndef ONNX_READER_H
#define ONNX_READER_H

#include <stddef.h>
#include <stdint.h>

#include "onnx.pb-c.h"

#define ONNX_MAX_DIMS       8
/* Files and tensors above these are refused. */
#define ONNX_MAX_FILE       (256u << 20)
#define ONNX_MAX_ELEMS      (1LL << 32)
#define ONNX_ERR_LEN        192

/* aclDataType number for "no such type here". */
#define ONNX_DT_NONE        0xffffffffu

/**
 * struct onnx_tensor - a tensor read from a TensorProto
 * @name: the proto's name ("" when none), owned
 * @onnx_type: TensorProto.DataType
 * @dtype: aclDataType number
 * @ndim: dims used
 * @dims: shape
 * @nelems: elements
 * @nbytes: bytes at @data
 * @data: packed elements, owned (NULL when @nbytes is 0)
 */
struct onnx_tensor {
    char *name;
    int32_t onnx_type;
    uint32_t dtype;
    uint32_t ndim;
    int64_t dims[ONNX_MAX_DIMS];
    int64_t nelems;
    size_t nbytes;
    void *data;
};

/* TensorProto.DataType -> aclDataType; ONNX_DT_NONE when not supported. */
uint32_t onnx_dtype_to_acl(int32_t onnx_type);
/* Bytes per element of an aclDataType the reader produces; 0 if none. */
size_t onnx_acl_dtype_size(uint32_t dtype);

/* Convert a parsed TensorProto. Returns 0, or -1 with @err filled. */
int onnx_tensor_from_proto(const Onnx__TensorProto *tp, struct onnx_tensor *t,
                           char *err, size_t errlen);
/* Parse a serialized TensorProto from memory / a file. */
int onnx_tensor_parse(const void *buf, size_t len, struct onnx_tensor *t,
                      char *err, size_t errlen);
int onnx_tensor_load(const char *path, struct onnx_tensor *t, char *err,
                     size_t errlen);
void onnx_tensor_free(struct onnx_tensor *t);

/* A loaded model: its graph is checked for NULLs and counts. */
struct onnx_model;

struct onnx_model *onnx_model_parse(const void *buf, size_t len, char *err,
                                    size_t errlen);
struct onnx_model *onnx_model_load(const char *path, char *err,
                                   size_t errlen);
void onnx_model_free(struct onnx_model *m);
const Onnx__ModelProto *onnx_model_proto(const struct onnx_model *m);
const Onnx__GraphProto *onnx_model_graph(const struct onnx_model *m);
/* Opset version imported for @domain ("" or NULL: the default domain);
 * -1 when not imported. */
int64_t onnx_model_opset(const struct onnx_model *m, const char *domain);

/* The attribute @name of @node, or NULL. */
const Onnx__AttributeProto *onnx_node_attr(const Onnx__NodeProto *node,
                                           const char *name);
/* "INT", "FLOATS", ... */
const char *onnx_attr_type_name(int type);

/* Read a whole file (at most ONNX_MAX_FILE bytes). Returns a malloc'd
 * buffer and its length, or NULL with @err filled. */
void *onnx_read_file(const char *path, size_t *len, char *err, size_t errlen);

#endif /* ONNX_READER_H */
