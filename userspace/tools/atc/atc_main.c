/* SPDX-License-Identifier: MIT */
/*
 * atc: the command line. Options are CANN atc's, spelled --name=value:
 *
 *   atc --framework=5 --model=x.onnx --output=x [--input_shape=...]
 *       [--input_format=NCHW|NHWC|ND] [--output_type=FP32|FP16]
 *       [--soc_version=...] [--log=null|error|warning|info|debug]
 *   atc --singleop=ops.json --output=dir [--soc_version=...] [--log=...]
 *
 * Exit status 0 and "ATC run success" as CANN prints it, or 1 and one
 * error (which may list several unsupported ops) on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atc.h"
#include "atc_ops.h"

#define DEFAULT_SOC "Ascend910B3"

static const char usage[] =
"usage: atc --framework=5 --model=MODEL.onnx --output=NAME [options]\n"
"       atc --singleop=OPS.json --output=DIR [options]\n"
"\n"
"Converts an ONNX model into a vascend offline model NAME.om.\n"
"\n"
"  --framework=5             the model's framework: 5 (ONNX) is the only one\n"
"  --model=FILE              the ONNX model\n"
"  --output=NAME             write NAME.om (NAME may end in .om already)\n"
"  --input_shape=SHAPES      \"name:1,3,224,224;name2:...\": input shapes\n"
"  --input_format=FMT        NCHW, NHWC or ND: the format model inputs report\n"
"  --output_type=TYPE        FP32 (default) or FP16 for the float outputs\n"
"  --soc_version=SOC         recorded in the model (default " DEFAULT_SOC ")\n"
"  --singleop=FILE           CANN single-op JSON: one .om per op in --output\n"
"  --log=LEVEL               null, error (default), warning, info, debug\n"
"  --help                    this text\n";

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int set_log(const char *v)
{
    static const char *const names[] = { "null", "error", "warning", "info",
                                         "debug" };

    for (int i = 0; i < 5; i++) {
        if (!strcmp(v, names[i])) {
            atc_log_level = i;
            return 0;
        }
    }
    return -1;
}

static int convert(const struct atc_opts *o, struct atc_err *e)
{
    struct atc_graph g;
    double t0 = now_s();
    void *buf = NULL;
    size_t len = 0;
    char path[4096];
    int rc = -1;
    size_t ol = strlen(o->output);

    snprintf(path, sizeof(path), "%s%s", o->output,
             ol > 3 && !strcmp(o->output + ol - 3, ".om") ? "" : ".om");
    if (atc_import(&g, o->model, o, e)) {
        goto out;
    }
    ATC_INFO("[%.2fs] read %d nodes, %d values", now_s() - t0, g.nn, g.nv);
    if (atc_infer(&g, e)) {
        goto out;
    }
    ATC_INFO("[%.2fs] shapes inferred", now_s() - t0);
    if (atc_fuse(&g, e) || atc_lower(&g, o, e) || atc_layout(&g, e) ||
        atc_plan(&g, e)) {
        goto out;
    }
    ATC_INFO("[%.2fs] fused, lowered and planned", now_s() - t0);
    if (atc_emit(&g, o, &buf, &len, e)) {
        goto out;
    }
    if (o->check && atc_check_om(buf, len, e)) {
        goto out;
    }
    ATC_INFO("[%.2fs] checked every task with the op library", now_s() - t0);
    if (om_write_file(path, buf, len, e->msg, sizeof(e->msg))) {
        goto out;
    }
    ATC_INFO("[%.2fs] wrote %s (%zu bytes)", now_s() - t0, path, len);
    rc = 0;
out:
    free(buf);
    atc_graph_free(&g);
    return rc;
}

int main(int argc, char **argv)
{
    struct atc_opts o = { .soc_version = DEFAULT_SOC, .check = true };
    const char *framework = NULL, *singleop = NULL;
    struct atc_err e = { { 0 } };
    int rc;

    atc_log_level = ATC_LOG_ERROR;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *eq = strchr(a, '=');
        const char *v = eq ? eq + 1 : NULL;
        size_t nl = eq ? (size_t)(eq - a) : strlen(a);
#define OPT(name) (nl == strlen(name) && !strncmp(a, name, nl))
        if (OPT("--help") || OPT("-h")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!v || !v[0]) {
            fprintf(stderr, "atc: option '%s' needs a value: %.*s=VALUE (see "
                    "atc --help)\n", a, (int)nl, a);
            return 1;
        }
        if (OPT("--framework")) {
            framework = v;
        } else if (OPT("--model")) {
            o.model = v;
        } else if (OPT("--output")) {
            o.output = v;
        } else if (OPT("--input_shape")) {
            o.input_shape = v;
        } else if (OPT("--input_format")) {
            o.input_format = v;
        } else if (OPT("--output_type")) {
            o.output_type = v;
        } else if (OPT("--soc_version")) {
            o.soc_version = v;
        } else if (OPT("--singleop")) {
            singleop = v;
        } else if (OPT("--log")) {
            if (set_log(v)) {
                fprintf(stderr, "atc: --log=%s: expected null, error, warning, "
                        "info or debug\n", v);
                return 1;
            }
        } else {
            fprintf(stderr, "atc: unknown option '%.*s' (see atc --help)\n",
                    (int)nl, a);
            return 1;
        }
#undef OPT
    }
    if (o.input_format && strcmp(o.input_format, "NCHW") &&
        strcmp(o.input_format, "NHWC") && strcmp(o.input_format, "ND")) {
        fprintf(stderr, "atc: --input_format=%s: expected NCHW, NHWC or ND\n",
                o.input_format);
        return 1;
    }
    if (o.output_type && strcmp(o.output_type, "FP32") &&
        strcmp(o.output_type, "FP16")) {
        fprintf(stderr, "atc: --output_type=%s: expected FP32 or FP16\n",
                o.output_type);
        return 1;
    }
    if (strlen(o.soc_version) >= OM_SOC_LEN) {
        fprintf(stderr, "atc: --soc_version: at most %d characters\n",
                OM_SOC_LEN - 1);
        return 1;
    }
    if (!o.output) {
        fprintf(stderr, "atc: --output is required (see atc --help)\n");
        return 1;
    }
    if (singleop) {
        if (o.model || framework) {
            fprintf(stderr, "atc: --singleop takes no --model or "
                    "--framework\n");
            return 1;
        }
        rc = atc_singleop(singleop, o.output, &o, &e);
    } else {
        if (!framework) {
            fprintf(stderr, "atc: --framework is required: --framework=5 "
                    "(ONNX)\n");
            return 1;
        }
        if (strcmp(framework, "5") != 0) {
            fprintf(stderr, "atc: --framework=%s: only ONNX (5) is "
                    "supported\n", framework);
            return 1;
        }
        if (!o.model) {
            fprintf(stderr, "atc: --model is required (see atc --help)\n");
            return 1;
        }
        rc = convert(&o, &e);
    }
    if (rc) {
        fprintf(stderr, "atc: error: %s\n", e.msg);
        fprintf(stderr, "ATC run failed\n");
        return 1;
    }
    printf("ATC run success, welcome to the next use.\n");
    return 0;
}
