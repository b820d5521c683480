// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the ONNX reader (userspace/onnx), which atc and the op tests
 * feed files from anywhere. Parsing a ModelProto or a TensorProto must end
 * in a model/tensor or an error message, never a crash or a read outside
 * the input; for an accepted model every node, attribute and initializer
 * the converter walks is walked here too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "onnx_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void walk(const struct onnx_model *m)
{
    const Onnx__GraphProto *g = onnx_model_graph(m);
    char err[ONNX_ERR_LEN];

    sink += (size_t)onnx_model_opset(m, "");
    for (size_t i = 0; i < g->n_node; i++) {
        const Onnx__NodeProto *n = g->node[i];
        sink += strlen(n->op_type);
        for (size_t k = 0; k < n->n_input; k++) {
            sink += strlen(n->input[k]);
        }
        for (size_t k = 0; k < n->n_output; k++) {
            sink += strlen(n->output[k]);
        }
        for (size_t k = 0; k < n->n_attribute; k++) {
            const Onnx__AttributeProto *a = n->attribute[k];
            struct onnx_tensor t;
            sink += strlen(onnx_attr_type_name(a->type));
            if (onnx_node_attr(n, a->name) == NULL) {
                abort();    /* every attribute is found by its name */
            }
            if (a->t &&
                onnx_tensor_from_proto(a->t, &t, err, sizeof(err)) == 0) {
                sink += t.nbytes;
                onnx_tensor_free(&t);
            }
        }
    }
    for (size_t i = 0; i < g->n_initializer; i++) {
        struct onnx_tensor t;
        if (onnx_tensor_from_proto(g->initializer[i], &t, err,
                                   sizeof(err)) == 0) {
            if (t.nbytes && !t.data) {
                abort();
            }
            if (t.nbytes) {
                sink += ((const uint8_t *)t.data)[t.nbytes - 1];
            }
            onnx_tensor_free(&t);
        } else if (!memchr(err, 0, sizeof(err))) {
            abort();
        }
    }
    for (size_t i = 0; i < g->n_input; i++) {
        sink += strlen(g->input[i]->name);
    }
    for (size_t i = 0; i < g->n_output; i++) {
        sink += strlen(g->output[i]->name);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[ONNX_ERR_LEN];
    struct onnx_model *m;
    struct onnx_tensor t;

    m = onnx_model_parse(data, size, err, sizeof(err));
    if (m) {
        walk(m);
        onnx_model_free(m);
    } else if (!memchr(err, 0, sizeof(err)) || !err[0]) {
        abort();
    }
    if (onnx_tensor_parse(data, size, &t, err, sizeof(err)) == 0) {
        if (t.nbytes) {
            sink += ((const uint8_t *)t.data)[t.nbytes - 1];
        }
        onnx_tensor_free(&t);
    }
    return 0;
}
