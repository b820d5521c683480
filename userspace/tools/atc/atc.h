/* SPDX-License-Identifier: MIT */
/*
 * atc: vascend's ONNX-to-.om model converter, in the spirit of CANN's ATC.
 *
 * One graph representation (struct atc_graph) goes through the passes in
 * order (docs/models.md has the why of each):
 *
 *   atc_import()    ONNX -> graph: initializers and Constant nodes become
 *                   constant values, opset differences are normalised,
 *                   unsupported ops are collected into one error
 *   atc_infer()     shape and dtype inference, node by node in topological
 *                   order, folding every node whose inputs are constant
 *                   (through the operator library itself)
 *   atc_fuse()      Conv+BatchNorm, Conv+bias Add, MatMul+Add -> Gemm
 *   atc_lower()     ONNX nodes -> op ids and attributes the op library
 *                   takes; Reshape-like nodes become views
 *   atc_layout()    convolutions, pools and the elementwise ops between
 *                   them on NHWC data, where the library is fastest
 *   atc_plan()      storage: inputs, outputs, weights, and intermediates
 *                   packed into one workspace by lifetime
 *   atc_emit()      the .om file, then a dry run of every task through the
 *                   model runner's checks
 */
#ifndef ATC_H
#define ATC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "om.h"

#define ATC_MAX_DIMS        8
#define ATC_ERR_LEN         4096

enum atc_log_level {
    ATC_LOG_NULL = 0,
    ATC_LOG_ERROR,
    ATC_LOG_WARNING,
    ATC_LOG_INFO,
    ATC_LOG_DEBUG,
};

extern int atc_log_level;
void atc_log(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#define ATC_INFO(...)   atc_log(ATC_LOG_INFO, __VA_ARGS__)
#define ATC_DEBUG(...)  atc_log(ATC_LOG_DEBUG, __VA_ARGS__)
#define ATC_WARN(...)   atc_log(ATC_LOG_WARNING, __VA_ARGS__)

/* Attribute kinds beyond OM_ATTR_*: kept only while converting. */
#define ATC_ATTR_TENSOR     100     /* a TensorProto (Constant's value) */
#define ATC_ATTR_OTHER      101     /* graphs etc.: never supported */

struct atc_attr {
    char *name;
    uint32_t type;          /* OM_ATTR_* or ATC_ATTR_* */
    uint32_t count;         /* elements (bytes for strings) */
    void *data;             /* int64_t[], float[], chars (NUL added) */
    /* ATC_ATTR_TENSOR */
    uint32_t t_dtype;
    uint32_t t_ndim;
    int64_t t_dims[ATC_MAX_DIMS];
};

/* A value: a tensor flowing between nodes. */
struct atc_value {
    char *name;
    bool known;             /* dtype and shape inferred */
    uint32_t dtype;         /* aclDataType */
    uint32_t ndim;
    int64_t dims[ATC_MAX_DIMS];
    void *data;             /* constant contents (owned) or NULL */
    size_t nbytes;
    bool is_const;
    int producer;           /* node index, -1 for inputs and constants */
    int graph_input;        /* input number, or -1 */
    bool graph_output;
    /* planning */
    bool nhwc;              /* 4-D, stored [N,H,W,C] (atc_layout) */
    int view_of;            /* the value whose bytes this one views, or -1 */
    uint32_t tensor;        /* om tensor index */
    int def, last;          /* task positions of definition and last use */
    uint64_t offset;        /* workspace offset */
    uint32_t placement;
    uint32_t io_index;
    int primary;            /* root: the value whose dims its base tensor has */
};

enum atc_node_kind {
    ATC_NODE_OP = 0,        /* a task: op_id */
    ATC_NODE_VIEW,          /* output 0 views input 0 */
};

struct atc_node {
    char *name;             /* ONNX name, or made up from the first output */
    char *op_type;
    char *domain;
    int nin, nout;
    int *in;                /* value indices; -1: omitted optional input */
    int *out;
    int nattr;
    struct atc_attr *attr;
    bool dead;
    int kind;
    uint32_t op_id;
    int seq;                /* position for stable ordering */
};

struct atc_graph {
    char *name;
    int64_t opset;
    struct atc_value *v;
    int nv, cap_v;
    struct atc_node *n;
    int nn, cap_n;
    int *inputs;
    int ninputs;
    int *outputs;
    int noutputs;
    int *order;             /* node indices in execution order */
    int norder;
    /* name -> value index */
    int *hash;
    int hash_cap;
    /* statistics for the log */
    int folded, fused_bn, fused_bias, fused_gemm, views, copies;
    uint64_t ws_naive, ws_planned;
};

/* What the command line asked for. */
struct atc_opts {
    const char *model;
    const char *output;
    const char *input_shape;    /* "name:1,3,224,224;name2:..." */
    const char *input_format;   /* NCHW, NHWC, ND */
    const char *output_type;    /* FP32, FP16 */
    const char *soc_version;
    bool check;                 /* dry-run every task after emitting */
};

/* Errors: one message, built up by the pass that failed. */
struct atc_err {
    char msg[ATC_ERR_LEN];
};
int atc_fail(struct atc_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- graph helpers (atc_graph.c) ---- */
void atc_graph_free(struct atc_graph *g);
int atc_value_new(struct atc_graph *g, const char *name);  /* -1 on OOM */
int atc_value_find(const struct atc_graph *g, const char *name);
int atc_node_new(struct atc_graph *g, const char *op_type, const char *name,
                 int nin, int nout);
struct atc_attr *atc_attr_get(const struct atc_node *n, const char *name);
int atc_attr_set_ints(struct atc_node *n, const char *name,
                      const int64_t *v, uint32_t count);
int atc_attr_set_floats(struct atc_node *n, const char *name,
                        const float *v, uint32_t count);
int atc_attr_set_string(struct atc_node *n, const char *name, const char *s);
void atc_attr_remove(struct atc_node *n, const char *name);
int64_t atc_attr_int(const struct atc_node *n, const char *name, int64_t def);
float atc_attr_float(const struct atc_node *n, const char *name, float def);
const char *atc_attr_str(const struct atc_node *n, const char *name,
                         const char *def);
/* Make @vi a constant with @data (taken over). */
void atc_value_set_const(struct atc_value *v, uint32_t dtype, uint32_t ndim,
                         const int64_t *dims, void *data);
int64_t atc_elems(uint32_t ndim, const int64_t *dims);
size_t atc_dtype_size(uint32_t dtype);
const char *atc_shape_str(uint32_t ndim, const int64_t *dims, char *buf,
                          size_t len);
/* Read constant @v as int64 values (int32/int64 tensors); -1 if not. */
int atc_const_ints(const struct atc_value *v, int64_t *out, int64_t max,
                   int64_t *count);
/* Execution order of live nodes (topological, stable); detects cycles. */
int atc_order(struct atc_graph *g, struct atc_err *e);
/* Uses of each value by live nodes, into @uses[nv]. */
void atc_count_uses(const struct atc_graph *g, int *uses);

/* ---- passes ---- */
int atc_import(struct atc_graph *g, const char *path,
               const struct atc_opts *o, struct atc_err *e);
int atc_infer(struct atc_graph *g, struct atc_err *e);
int atc_fuse(struct atc_graph *g, struct atc_err *e);
int atc_lower(struct atc_graph *g, const struct atc_opts *o,
              struct atc_err *e);
int atc_layout(struct atc_graph *g, struct atc_err *e);
int atc_plan(struct atc_graph *g, struct atc_err *e);
int atc_emit(struct atc_graph *g, const struct atc_opts *o, void **buf,
             size_t *len, struct atc_err *e);
/* Prepare every task of an .om with the runner's checks (no run). */
int atc_check_om(const void *buf, size_t len, struct atc_err *e);

/* Node-level helpers shared by infer/fold/lower. */
/* Infer one node's outputs; fold it when its inputs are constant. */
int atc_infer_node(struct atc_graph *g, int ni, struct atc_err *e);
/* Evaluate node @ni through the op library (inputs constant). */
int atc_fold_node(struct atc_graph *g, int ni, struct atc_err *e);
/* True when the node maps to a view of its first input. */
bool atc_is_view_op(const char *op_type);
/* The op id a node maps to, 0 when none. */
uint32_t atc_op_id(const struct atc_node *n);

/* Single-op mode (atc_singleop.c). */
int atc_singleop(const char *json_path, const char *outdir,
                 const struct atc_opts *o, struct atc_err *e);

#endif /* ATC_H */
