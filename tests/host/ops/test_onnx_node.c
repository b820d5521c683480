/* SPDX-License-Identifier: MIT */
/*
 * ONNX's own node tests (Debian's libonnx-testdata) through the operator
 * library: every single-node case whose op_type the library maps
 * (aop_find_onnx) runs through the fast path and the reference path, and
 * each output is compared with the expected .pb (tolerances in
 * ops_test.h). One TAP line per case; skipped cases are listed as
 * comments with the library's reason; a per-op table closes the run.
 *
 *   test_onnx_node [DATA_DIR] [--markdown FILE]
 *
 * DATA_DIR defaults to /usr/share/libonnx-testdata/data/node.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "onnx_reader.h"
#include "ops_test.h"
#include "tap.h"

#define MAX_OPS     128
#define MAX_IO      16
#define WHY_LEN     256

enum verdict { V_PASS, V_FAIL, V_SKIP, V_NOT_OURS };

struct op_rec {
    int pass, fail, skip;
};

struct skip_rec {
    char test[96];
    char why[WHY_LEN];
};

static struct op_rec recs[MAX_OPS];
static struct skip_rec *skips;
static int nskips, cap_skips;
static int multi_node;

static void add_skip(const char *test, const char *why)
{
    if (nskips == cap_skips) {
        cap_skips = cap_skips ? 2 * cap_skips : 64;
        skips = realloc(skips, (size_t)cap_skips * sizeof(*skips));
        if (!skips) {
            abort();
        }
    }
    memset(&skips[nskips], 0, sizeof(skips[nskips]));
    strncpy(skips[nskips].test, test, sizeof(skips[nskips].test) - 1);
    strncpy(skips[nskips].why, why, sizeof(skips[nskips].why) - 1);
    nskips++;
}

struct case_attrs {
    struct aop_attr a[64];
    float f[64];
    uint32_t n;
};

static int convert_attrs(const Onnx__NodeProto *node, struct case_attrs *ca,
                         char *why)
{
    ca->n = 0;
    for (size_t i = 0; i < node->n_attribute; i++) {
        const Onnx__AttributeProto *a = node->attribute[i];
        struct aop_attr *o = &ca->a[ca->n];
        if (ca->n >= 64) {
            snprintf(why, WHY_LEN, "more than 64 attributes");
            return -1;
        }
        o->name = a->name;
        switch (a->type) {
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT:
            o->type = AOP_ATTR_INT;
            o->count = 1;
            o->data = &a->i;
            break;
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS:
            o->type = AOP_ATTR_INT;
            o->count = (uint32_t)a->n_ints;
            o->data = a->ints;
            break;
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT:
            ca->f[ca->n] = a->f;
            o->type = AOP_ATTR_FLOAT;
            o->count = 1;
            o->data = &ca->f[ca->n];
            break;
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS:
            o->type = AOP_ATTR_FLOAT;
            o->count = (uint32_t)a->n_floats;
            o->data = a->floats;
            break;
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING:
            o->type = AOP_ATTR_STRING;
            o->count = (uint32_t)a->s.len;
            o->data = a->s.len ? (const void *)a->s.data : (const void *)"";
            break;
        default:
            snprintf(why, WHY_LEN, "attribute '%s' of type %s not supported",
                     a->name, onnx_attr_type_name(a->type));
            return -1;
        }
        ca->n++;
    }
    return 0;
}

static int find_value(const Onnx__GraphProto *g, const char *name,
                      bool output)
{
    size_t n = output ? g->n_output : g->n_input;

    for (size_t i = 0; i < n; i++) {
        const char *v = output ? g->output[i]->name : g->input[i]->name;
        if (strcmp(v, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/*
 * ONNX 1.12 stores bfloat16 test tensors as UINT16 bits (numpy has no
 * bfloat16) while the graph declares BFLOAT16: trust the declaration.
 */
static void fix_bf16(const Onnx__ValueInfoProto *vi, struct onnx_tensor *t)
{
    if (vi && vi->type && vi->type->tensor_type &&
        vi->type->tensor_type->has_elem_type &&
        vi->type->tensor_type->elem_type ==
            ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16 &&
        t->dtype == AOP_DT_UINT16) {
        t->dtype = AOP_DT_BF16;
    }
}

static void to_aop(const struct onnx_tensor *o, struct aop_tensor *t)
{
    aop_tensor_init(t, o->data, o->dtype, o->ndim, o->dims);
}

/* Run one data set through one path; V_PASS, V_FAIL or V_SKIP. */
static enum verdict run_path(uint32_t id, bool reference,
                             const struct aop_tensor *in, uint32_t nin,
                             const struct onnx_tensor *want, uint32_t nout,
                             const struct case_attrs *ca, char *why)
{
    struct aop_ctx ctx = { .threads = 2, .reference = reference };
    struct aop_tensor out[MAX_IO] = { 0 };
    struct aop_error err;
    enum verdict v = V_PASS;
    int rc;

    for (uint32_t i = 0; i < nout; i++) {
        if (want[i].dtype == ONNX_DT_NONE) {
            memset(&out[i], 0, sizeof(out[i]));
            out[i].dtype = AOP_DT_NONE;
            continue;
        }
        tens_alloc(&out[i], want[i].dtype, want[i].ndim, want[i].dims);
        /* poison: an output element the op forgets to write shows up */
        memset(out[i].data, 0x7f, out[i].size);
    }
    rc = aop_run(&ctx, id, in, nin, out, nout, ca->a, ca->n, &err);
    if (rc) {
        snprintf(why, WHY_LEN, "%s: %s", aop_status_name(rc), err.msg);
        v = (rc == AOP_E_DTYPE || rc == AOP_E_UNSUPPORTED) ? V_SKIP : V_FAIL;
        goto out;
    }
    for (uint32_t i = 0; i < nout; i++) {
        char msg[160];
        struct tol t;
        if (want[i].dtype == ONNX_DT_NONE) {
            continue;
        }
        t = tol_for(want[i].dtype, 1);
        if (compare(out[i].data, want[i].data, want[i].dtype, want[i].nelems,
                    t, msg, sizeof(msg))) {
            snprintf(why, WHY_LEN, "%s path, output %u: %s",
                     reference ? "reference" : "fast", i, msg);
            v = V_FAIL;
            goto out;
        }
    }
out:
    for (uint32_t i = 0; i < nout; i++) {
        if (want[i].dtype != ONNX_DT_NONE) {
            tens_free(&out[i]);
        }
    }
    return v;
}

static enum verdict run_case(const char *dir, const char *test, size_t *row,
                             char *why)
{
    char path[1024], err[ONNX_ERR_LEN];
    struct onnx_model *m;
    const Onnx__GraphProto *g;
    const Onnx__NodeProto *node;
    struct case_attrs ca;
    enum verdict v = V_PASS;
    uint32_t id;
    int sets = 0;

    snprintf(path, sizeof(path), "%s/%s/model.onnx", dir, test);
    m = onnx_model_load(path, err, sizeof(err));
    if (!m) {
        snprintf(why, WHY_LEN, "model: %s", err);
        return V_NOT_OURS;
    }
    g = onnx_model_graph(m);
    if (g->n_node != 1) {
        onnx_model_free(m);
        multi_node++;
        return V_NOT_OURS;
    }
    node = g->node[0];
    id = aop_find_onnx(node->op_type);
    if (!id || (node->domain && node->domain[0] &&
                strcmp(node->domain, "ai.onnx") != 0)) {
        onnx_model_free(m);
        return V_NOT_OURS;
    }
    for (size_t i = 0; i < aop_op_count(); i++) {
        if (aop_op_at(i)->id == id) {
            *row = i;
        }
    }
    if (node->n_input > MAX_IO || node->n_output > MAX_IO) {
        snprintf(why, WHY_LEN, "more than %d inputs or outputs", MAX_IO);
        v = V_SKIP;
        goto out;
    }
    if (convert_attrs(node, &ca, why)) {
        v = V_SKIP;
        goto out;
    }
    for (;; sets++) {
        struct onnx_tensor ins[MAX_IO], want[MAX_IO];
        struct aop_tensor in[MAX_IO];
        struct stat st;
        uint32_t nin = (uint32_t)node->n_input;
        uint32_t nout = (uint32_t)node->n_output;
        enum verdict pv = V_PASS;

        snprintf(path, sizeof(path), "%s/%s/test_data_set_%d", dir, test,
                 sets);
        if (stat(path, &st) != 0) {
            break;
        }
        memset(ins, 0, sizeof(ins));
        memset(want, 0, sizeof(want));
        for (uint32_t i = 0; i < nin && pv == V_PASS; i++) {
            int k;
            memset(&in[i], 0, sizeof(in[i]));
            in[i].dtype = AOP_DT_NONE;
            if (!node->input[i][0]) {
                continue;
            }
            k = find_value(g, node->input[i], false);
            if (k < 0) {
                snprintf(why, WHY_LEN, "input '%s' is not a graph input",
                         node->input[i]);
                pv = V_SKIP;
                break;
            }
            snprintf(path, sizeof(path), "%s/%s/test_data_set_%d/input_%d.pb",
                     dir, test, sets, k);
            if (onnx_tensor_load(path, &ins[i], err, sizeof(err))) {
                snprintf(why, WHY_LEN, "input %u: %s", i, err);
                pv = V_SKIP;
                break;
            }
            fix_bf16(g->input[k], &ins[i]);
            to_aop(&ins[i], &in[i]);
        }
        for (uint32_t i = 0; i < nout && pv == V_PASS; i++) {
            int k;
            want[i].dtype = ONNX_DT_NONE;
            if (!node->output[i][0]) {
                continue;
            }
            k = find_value(g, node->output[i], true);
            snprintf(path, sizeof(path),
                     "%s/%s/test_data_set_%d/output_%d.pb", dir, test, sets,
                     k);
            if (k < 0 || onnx_tensor_load(path, &want[i], err, sizeof(err))) {
                snprintf(why, WHY_LEN, "output %u: %s", i,
                         k < 0 ? "not a graph output" : err);
                pv = V_SKIP;
                break;
            }
            fix_bf16(g->output[k], &want[i]);
        }
        if (pv == V_PASS) {
            pv = run_path(id, false, in, nin, want, nout, &ca, why);
        }
        if (pv == V_PASS) {
            pv = run_path(id, true, in, nin, want, nout, &ca, why);
        }
        for (uint32_t i = 0; i < MAX_IO; i++) {
            onnx_tensor_free(&ins[i]);
            onnx_tensor_free(&want[i]);
        }
        if (pv != V_PASS) {
            v = pv;
            break;
        }
    }
    if (v == V_PASS && sets == 0) {
        snprintf(why, WHY_LEN, "no test_data_set");
        v = V_SKIP;
    }
out:
    onnx_model_free(m);
    return v;
}

static int only_dirs(const struct dirent *d)
{
    return strncmp(d->d_name, "test_", 5) == 0;
}

static void print_table(FILE *f, bool md)
{
    int tp = 0, tf = 0, ts = 0;

    if (md) {
        fprintf(f, "| op (CANN) | ONNX | passed | failed | skipped |\n");
        fprintf(f, "| --- | --- | ---: | ---: | ---: |\n");
    } else {
        fprintf(f, "# %-20s %-22s %6s %6s %6s\n", "op", "onnx", "pass",
                "fail", "skip");
    }
    for (size_t i = 0; i < aop_op_count() && i < MAX_OPS; i++) {
        const struct aop_op_info *op = aop_op_at(i);
        const struct op_rec *r = &recs[i];
        if (!op->onnx[0]) {
            continue;
        }
        if (md) {
            fprintf(f, "| %s | %s | %d | %d | %d |\n", op->cann, op->onnx,
                    r->pass, r->fail, r->skip);
        } else {
            fprintf(f, "# %-20s %-22s %6d %6d %6d\n", op->cann, op->onnx,
                    r->pass, r->fail, r->skip);
        }
        tp += r->pass;
        tf += r->fail;
        ts += r->skip;
    }
    if (md) {
        fprintf(f, "| **total** | | **%d** | **%d** | **%d** |\n", tp, tf, ts);
        if (nskips) {
            fprintf(f, "\nSkipped cases and why:\n\n");
            for (int i = 0; i < nskips; i++) {
                fprintf(f, "- `%s`: %s\n", skips[i].test, skips[i].why);
            }
        }
    } else {
        fprintf(f, "# %-20s %-22s %6d %6d %6d\n", "total", "", tp, tf, ts);
    }
}

int main(int argc, char **argv)
{
    const char *dir = "/usr/share/libonnx-testdata/data/node";
    const char *md_path = NULL;
    struct dirent **ents;
    int n, others = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--markdown") == 0 && i + 1 < argc) {
            md_path = argv[++i];
        } else {
            dir = argv[i];
        }
    }
    n = scandir(dir, &ents, only_dirs, alphasort);
    if (n < 0) {
        printf("Bail out! no ONNX test data at %s (scripts/deps.sh ops)\n",
               dir);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        char why[WHY_LEN] = "";
        size_t row = 0;
        enum verdict v = run_case(dir, ents[i]->d_name, &row, why);
        if (v == V_NOT_OURS) {
            others++;
        } else if (v == V_SKIP) {
            printf("# skip %s [%s]: %s\n", ents[i]->d_name,
                   aop_op_at(row)->cann, why);
            add_skip(ents[i]->d_name, why);
            recs[row].skip++;
        } else {
            TAP_CHECK(v == V_PASS, "onnx %s [%s]%s%s", ents[i]->d_name,
                      aop_op_at(row)->cann, v == V_PASS ? "" : ": ",
                      v == V_PASS ? "" : why);
            if (v == V_PASS) {
                recs[row].pass++;
            } else {
                recs[row].fail++;
            }
        }
        free(ents[i]);
    }
    free(ents);
    printf("# %d other cases: other ops, or multi-node graphs (%d)\n", others,
           multi_node);
    print_table(stdout, false);
    if (md_path) {
        FILE *f = fopen(md_path, "w");
        if (f) {
            print_table(f, true);
            fclose(f);
        }
    }
    free(skips);
    return tap_done();
}
