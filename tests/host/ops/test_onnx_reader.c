/* SPDX-License-Identifier: MIT */
/*
 * The ONNX reader against good files, every truncation and byte flip of
 * real ones (under ASan: no crash, no leak, an error message when it
 * refuses), and hand-made TensorProtos that break each rule it checks.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "onnx_reader.h"
#include "tap.h"

#define DATA "/usr/share/libonnx-testdata/data/node"

static int walk(const struct onnx_model *m)
{
    const Onnx__GraphProto *g = onnx_model_graph(m);
    int n = 0;

    for (size_t i = 0; i < g->n_node; i++) {
        const Onnx__NodeProto *node = g->node[i];
        n += (int)strlen(node->op_type);
        for (size_t k = 0; k < node->n_attribute; k++) {
            n += (int)strlen(node->attribute[k]->name);
        }
    }
    return n;
}

static void mutate(const char *path, bool model)
{
    char err[ONNX_ERR_LEN];
    size_t len;
    unsigned char *buf = onnx_read_file(path, &len, err, sizeof(err));
    int refused = 0, bad_msg = 0, runs = 0;

    if (!TAP_CHECK(buf != NULL, "reader: read %s", path)) {
        return;
    }
    for (size_t cut = 0; cut < len; cut++) {
        struct onnx_tensor t;
        struct onnx_model *m;
        err[0] = 0;
        runs++;
        if (model) {
            m = onnx_model_parse(buf, cut, err, sizeof(err));
            if (m) {
                walk(m);
                onnx_model_free(m);
            } else {
                refused++;
                bad_msg += !err[0];
            }
        } else if (onnx_tensor_parse(buf, cut, &t, err, sizeof(err))) {
            refused++;
            bad_msg += !err[0];
        } else {
            onnx_tensor_free(&t);
        }
    }
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit += 3) {
            struct onnx_tensor t;
            struct onnx_model *m;
            buf[i] ^= (unsigned char)(1u << bit);
            err[0] = 0;
            runs++;
            if (model) {
                m = onnx_model_parse(buf, len, err, sizeof(err));
                if (m) {
                    walk(m);
                    onnx_model_free(m);
                } else {
                    refused++;
                    bad_msg += !err[0];
                }
            } else if (onnx_tensor_parse(buf, len, &t, err, sizeof(err))) {
                refused++;
                bad_msg += !err[0];
            } else {
                onnx_tensor_free(&t);
            }
            buf[i] ^= (unsigned char)(1u << bit);
        }
    }
    TAP_CHECK(refused > 0 && bad_msg == 0,
              "reader: %d truncations and bit flips of %s: %d refused, each "
              "with a message", runs, strrchr(path, '/') + 1, refused);
    free(buf);
}

/* Pack @tp and parse it back; returns the reader's verdict. */
static int roundtrip(Onnx__TensorProto *tp, char *err)
{
    size_t len = onnx__tensor_proto__get_packed_size(tp);
    uint8_t *buf = malloc(len ? len : 1);
    struct onnx_tensor t;
    int rc;

    onnx__tensor_proto__pack(tp, buf);
    rc = onnx_tensor_parse(buf, len, &t, err, ONNX_ERR_LEN);
    if (!rc) {
        onnx_tensor_free(&t);
    }
    free(buf);
    return rc;
}

static void crafted(void)
{
    Onnx__TensorProto tp;
    char err[ONNX_ERR_LEN];
    int64_t dims[9] = { 2, 3, 1, 1, 1, 1, 1, 1, 1 };
    float f[6] = { 1, 2, 3, 4, 5, 6 };
    uint8_t raw[24];
    struct onnx_tensor t;
    int rc;

#define FRESH() do { \
        onnx__tensor_proto__init(&tp); \
        tp.n_dims = 2; tp.dims = dims; \
        tp.has_data_type = 1; tp.data_type = 1; \
        tp.n_float_data = 6; tp.float_data = f; \
    } while (0)

    FRESH();
    TAP_CHECK(roundtrip(&tp, err) == 0, "reader: a good float tensor");
    {
        size_t len = onnx__tensor_proto__get_packed_size(&tp);
        uint8_t *buf = malloc(len);
        onnx__tensor_proto__pack(&tp, buf);
        rc = onnx_tensor_parse(buf, len, &t, err, sizeof(err));
        TAP_CHECK(rc == 0 && t.dtype == 0 && t.ndim == 2 && t.nelems == 6 &&
                  ((float *)t.data)[5] == 6.0f,
                  "reader: its values come back");
        onnx_tensor_free(&t);
        free(buf);
    }
    FRESH();
    tp.has_data_type = 0;
    TAP_CHECK(roundtrip(&tp, err) && strstr(err, "no data_type"),
              "reader: no data_type refused [%s]", err);
    FRESH();
    tp.data_type = 8;
    TAP_CHECK(roundtrip(&tp, err) && strstr(err, "STRING"),
              "reader: STRING refused [%s]", err);
    FRESH();
    tp.n_dims = 9;
    TAP_CHECK(roundtrip(&tp, err) && strstr(err, "rank 9"),
              "reader: rank 9 refused [%s]", err);
    FRESH();
    dims[1] = -3;
    TAP_CHECK(roundtrip(&tp, err) && strstr(err, "dims[1]"),
              "reader: negative dim refused [%s]", err);
    dims[1] = 3;
    FRESH();
    tp.n_float_data = 5;
    TAP_CHECK(roundtrip(&tp, err) && strstr(err, "5 FLOAT values"),
              "reader: too few values refused [%s]", err);
    FRESH();
    tp.n_float_data = 0;
    tp.has_raw_data = 1;
    tp.raw_data.len = 23;
    tp.raw_data.data = raw;
    TAP_CHECK(roundtrip(&tp, err) && strstr(err, "raw_data has 23"),
              "reader: short raw_data refused [%s]", err);
    FRESH();
    tp.has_data_location = 1;
    tp.data_location = ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL;
    TAP_CHECK(roundtrip(&tp, err) && strstr(err, "external"),
              "reader: external data refused [%s]", err);
    {
        int64_t huge[4] = { 1 << 20, 1 << 20, 1 << 20, 1 << 20 };
        FRESH();
        tp.n_dims = 4;
        tp.dims = huge;
        TAP_CHECK(roundtrip(&tp, err) && strstr(err, "too many"),
                  "reader: 2^80 elements refused [%s]", err);
    }
    {
        int32_t bits[6] = { 0x3c00, 0xc000, 0, 0x7c00, 1, 0x3555 };
        FRESH();
        tp.data_type = 10;      /* FLOAT16 in int32_data */
        tp.n_float_data = 0;
        tp.n_int32_data = 6;
        tp.int32_data = bits;
        {
            size_t len = onnx__tensor_proto__get_packed_size(&tp);
            uint8_t *buf = malloc(len);
            onnx__tensor_proto__pack(&tp, buf);
            rc = onnx_tensor_parse(buf, len, &t, err, sizeof(err));
            TAP_CHECK(rc == 0 && t.dtype == 1 && t.nbytes == 12 &&
                      ((uint16_t *)t.data)[1] == 0xc000,
                      "reader: float16 from int32_data");
            onnx_tensor_free(&t);
            free(buf);
        }
    }
    TAP_CHECK(onnx_tensor_load("/nonexistent.pb", &t, err, sizeof(err)) &&
              strstr(err, "No such file"), "reader: missing file [%s]", err);
    TAP_CHECK(onnx_tensor_load("/tmp", &t, err, sizeof(err)) &&
              strstr(err, "regular file"), "reader: a directory [%s]", err);
    {
        Onnx__ModelProto mp;
        size_t len;
        uint8_t *buf;
        onnx__model_proto__init(&mp);
        mp.has_ir_version = 1;
        mp.ir_version = 8;
        len = onnx__model_proto__get_packed_size(&mp);
        buf = malloc(len ? len : 1);
        onnx__model_proto__pack(&mp, buf);
        TAP_CHECK(!onnx_model_parse(buf, len, err, sizeof(err)) &&
                  strstr(err, "no graph"), "reader: model without graph [%s]",
                  err);
        free(buf);
    }
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : DATA;
    char path[512], err[ONNX_ERR_LEN];
    struct onnx_model *m;
    struct onnx_tensor t;

    snprintf(path, sizeof(path), "%s/test_conv_with_strides_padding/model.onnx",
             dir);
    m = onnx_model_load(path, err, sizeof(err));
    TAP_CHECK(m && onnx_model_graph(m)->n_node == 1 &&
              strcmp(onnx_model_graph(m)->node[0]->op_type, "Conv") == 0 &&
              onnx_node_attr(onnx_model_graph(m)->node[0], "strides") &&
              onnx_model_opset(m, "") > 0,
              "reader: Conv model: one node, its attributes, opset %lld",
              m ? (long long)onnx_model_opset(m, "") : -1LL);
    onnx_model_free(m);
    snprintf(path, sizeof(path),
             "%s/test_conv_with_strides_padding/test_data_set_0/input_0.pb",
             dir);
    TAP_CHECK(onnx_tensor_load(path, &t, err, sizeof(err)) == 0 &&
              t.ndim == 4 && t.dims[2] == 7 && t.dtype == 0,
              "reader: its input tensor [1,1,7,5] float");
    onnx_tensor_free(&t);
    mutate(path, false);
    snprintf(path, sizeof(path), "%s/test_conv_with_strides_padding/model.onnx",
             dir);
    mutate(path, true);
    snprintf(path, sizeof(path), "%s/test_resize_upsample_sizes_nearest/"
             "model.onnx", dir);
    mutate(path, true);
    crafted();
    return tap_done();
}
