// SPDX-License-Identifier: MIT
/*
 * ONNX's model test cases (Debian's libonnx-testdata: "simple" and
 * "pytorch-converted") through atc and the model runner, against the
 * expected outputs that come with them.
 *
 *   test_onnx_models ATC OUTDIR [--markdown FILE] DATADIR...
 *   test_onnx_models ATC OUTDIR --export DIR DATADIR...
 *
 * One TAP line per case. A case atc refuses for a reason outside the
 * converter's scope (an op type it does not support, sequence or string
 * tensors, a shape only known at run time) is a SKIP with that reason; any
 * other refusal, a load or execution error, or a wrong output fails.
 * --markdown writes the pass table docs/models.md carries.
 *
 * --export prepares the same cases for the VM (tests/e2e/run.sh's `boot
 * onnx-cases`, guest/onnx_cases_e2e.c) instead of running them here: atc
 * writes DIR/SUITE/CASE/model.om, test_data_set_0's tensors become raw
 * little-endian DIR/SUITE/CASE/input_<i>.bin and expected_<i>.bin (checked
 * against the model's dtypes and sizes first), and DIR/cases.txt gets one
 * line per case: "run SUITE/CASE NIN NOUT", "skip SUITE/CASE REASON" (atc
 * refused it for a reason the SKIP rule above allows) or "fail SUITE/CASE
 * REASON". A refused case gets no files.
 *
 * Comparison, as for the real models: |got - want| <= 1e-4 * max(|want|,
 * 1e-2 * max|want|) for floats; integers and bool exactly.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "amdl.h"
#include "om.h"
#include "onnx_reader.h"
#include "tap.h"

#define RTOL    1e-4
#define FLOOR   1e-2
#define THREADS 2

struct result {
    char name[128];
    char suite[32];
    char ops[256];
    int status;         /* 0 pass, 1 skip, 2 fail */
    char why[512];
};

static struct result results[256];
static int nresults;
static const char *export_dir;
static FILE *manifest;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* atc MODEL -> OUT.om; its stderr into LOG. Returns its exit status. */
static int run_atc(const char *atc, const char *model, const char *out,
                   const char *log)
{
    char mopt[4400], oopt[4400];
    pid_t pid;
    int st;

    snprintf(mopt, sizeof(mopt), "--model=%s", model);
    snprintf(oopt, sizeof(oopt), "--output=%s", out);
    pid = fork();
    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int null = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 2);
        }
        if (null >= 0) {
            dup2(null, 1);
        }
        execl(atc, atc, "--framework=5", mopt, oopt, "--log=error",
              (char *)NULL);
        _exit(127);
    }
    if (waitpid(pid, &st, 0) < 0) {
        return -1;
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* The error atc printed, on one line. */
static void atc_reason(const char *log, char *why, size_t len)
{
    FILE *f = fopen(log, "r");
    char line[1024];
    size_t o = 0;

    why[0] = 0;
    if (!f) {
        snprintf(why, len, "atc failed (no log)");
        return;
    }
    while (fgets(line, sizeof(line), f) && o < len) {
        char *p = line;
        line[strcspn(line, "\n")] = 0;
        if (!strcmp(line, "ATC run failed")) {
            continue;
        }
        if (!strncmp(p, "atc: error: ", 12)) {
            p += 12;
        }
        while (*p == ' ') {
            p++;
        }
        o += snprintf(why + o, len - o, "%s%s",
                      !o ? "" : why[o - 1] == ':' ? " " : "; ", p);
    }
    fclose(f);
}

static bool out_of_scope(const char *why)
{
    return strstr(why, "unsupported op type") ||
           strstr(why, "dynamic") ||
           strstr(why, "element type 8") ||      /* STRING */
           strstr(why, "not a tensor");
}

static void model_ops(const char *model, char *ops, size_t len)
{
    char err[ONNX_ERR_LEN];
    struct onnx_model *m = onnx_model_load(model, err, sizeof(err));
    const Onnx__GraphProto *g;
    size_t o = 0;

    ops[0] = 0;
    if (!m) {
        return;
    }
    g = onnx_model_graph(m);
    for (size_t i = 0; i < g->n_node && o < len; i++) {
        bool seen = false;
        for (size_t k = 0; k < i; k++) {
            seen |= !strcmp(g->node[k]->op_type, g->node[i]->op_type);
        }
        if (!seen) {
            o += snprintf(ops + o, len - o, "%s%s", o ? ", " : "",
                          g->node[i]->op_type);
        }
    }
    onnx_model_free(m);
}

static bool close_enough(const struct onnx_tensor *want, const void *got,
                         char *why, size_t len)
{
    int64_t n = want->nelems;

    if (want->dtype == 0) {
        const float *w = want->data, *gt = got;
        double scale = 0;
        for (int64_t i = 0; i < n; i++) {
            scale = fmax(scale, fabs(w[i]));
        }
        for (int64_t i = 0; i < n; i++) {
            double d = fabs((double)gt[i] - w[i]);
            if (!(d <= RTOL * fmax(fabs(w[i]), FLOOR * scale))) {
                snprintf(why, len, "element %" PRId64 ": %.9g, expected %.9g",
                         i, gt[i], w[i]);
                return false;
            }
        }
        return true;
    }
    if (memcmp(want->data, got, want->nbytes)) {
        snprintf(why, len, "%s output differs", om_dtype_name(want->dtype));
        return false;
    }
    return true;
}

/* DIR/test_data_set_0/KIND_I.pb, which must have @io's dtype and size. */
static int load_checked(const char *dir, const char *kind, uint32_t i,
                        const struct amdl_io *io, struct onnx_tensor *t,
                        char *why, size_t len)
{
    char path[4400], err[256];

    snprintf(path, sizeof(path), "%s/test_data_set_0/%s_%u.pb", dir, kind, i);
    if (onnx_tensor_load(path, t, err, sizeof(err))) {
        snprintf(why, len, "%s %u: %s", kind, i, err);
        return -1;
    }
    if (t->dtype != io->dtype || t->nbytes != io->size) {
        snprintf(why, len, "%s %u '%s': test data has %zu bytes of %s, "
                 "the model's has %" PRIu64 " of %s", kind, i, io->name,
                 t->nbytes, om_dtype_name(t->dtype), io->size,
                 om_dtype_name(io->dtype));
        onnx_tensor_free(t);
        return -1;
    }
    return 0;
}

static void *alloc64(uint64_t n)
{
    void *p = aligned_alloc(64, (n + 64) / 64 * 64);

    if (p) {
        memset(p, 0, n);
    }
    return p;
}

/* Load, feed test_data_set_0, execute, compare. 0 or a reason. */
static int run_case(const char *omp, const char *dir, char *why, size_t len)
{
    char err[256];
    size_t omlen;
    void *om = om_read_file(omp, &omlen, err, sizeof(err));
    struct amdl_model *m = NULL;
    struct amdl_error aerr;
    struct amdl_buffer in[16] = { { 0 } }, out[16] = { { 0 } };
    struct amdl_exec x = { 0 };
    struct aop_ctx ctx = { .threads = THREADS };
    struct onnx_tensor want[16];
    uint32_t nin = 0, nout = 0, nwant = 0;
    uint64_t woff, wsize;
    void *ws = NULL;
    int rc = -1;

    memset(want, 0, sizeof(want));
    if (!om) {
        snprintf(why, len, "%s", err);
        return -1;
    }
    if (amdl_load(om, omlen, &m, &aerr)) {
        snprintf(why, len, "load: %s", aerr.msg);
        goto out;
    }
    nin = amdl_num_inputs(m);
    nout = amdl_num_outputs(m);
    if (nin > 16 || nout > 16) {
        snprintf(why, len, "more than 16 inputs or outputs");
        goto out;
    }
    for (uint32_t i = 0; i < nin; i++) {
        const struct amdl_io *io = amdl_input(m, i);
        struct onnx_tensor t;
        if (load_checked(dir, "input", i, io, &t, why, len)) {
            goto out;
        }
        in[i].size = io->size;
        in[i].data = alloc64(io->size);
        if (in[i].data && t.nbytes) {
            memcpy(in[i].data, t.data, t.nbytes);
        }
        onnx_tensor_free(&t);
    }
    for (uint32_t i = 0; i < nout; i++) {
        out[i].size = amdl_output(m, i)->size;
        out[i].data = alloc64(out[i].size);
        /* poison: an element no task writes shows */
        memset(out[i].data, 0x7f, out[i].size);
        if (load_checked(dir, "output", i, amdl_output(m, i), &want[i], why,
                         len)) {
            goto out;
        }
        nwant++;
    }
    ws = alloc64(amdl_workspace_size(m));
    amdl_weights_span(m, &woff, &wsize);
    x.inputs = in;
    x.num_inputs = nin;
    x.outputs = out;
    x.num_outputs = nout;
    x.weights = (uint8_t *)om + woff;
    x.weights_size = wsize;
    x.workspace = ws;
    x.workspace_size = amdl_workspace_size(m);
    if (amdl_execute(m, &ctx, &x, &aerr)) {
        snprintf(why, len, "execute: %s", aerr.msg);
        goto out;
    }
    for (uint32_t i = 0; i < nout; i++) {
        const struct amdl_io *io = amdl_output(m, i);
        char w2[256];
        if (!close_enough(&want[i], out[i].data, w2, sizeof(w2))) {
            snprintf(why, len, "output %u '%s': %s", i, io->name, w2);
            goto out;
        }
    }
    rc = 0;
out:
    for (uint32_t i = 0; i < 16; i++) {
        free(in[i].data);
        free(out[i].data);
    }
    for (uint32_t i = 0; i < nwant; i++) {
        onnx_tensor_free(&want[i]);
    }
    free(ws);
    amdl_free(m);
    free(om);
    return rc;
}

/*
 * --export: test_data_set_0 of case DIR as raw files next to DEST/model.om,
 * each checked against the model's description. The number of inputs and
 * outputs into @nin and @nout; 0 or a reason.
 */
static int export_case(const char *dir, const char *dest, uint32_t *nin,
                       uint32_t *nout, char *why, size_t len)
{
    char err[256], path[4400];
    size_t omlen;
    void *om;
    struct amdl_model *m = NULL;
    struct amdl_error aerr;
    int rc = -1;

    snprintf(path, sizeof(path), "%s/model.om", dest);
    om = om_read_file(path, &omlen, err, sizeof(err));
    if (!om) {
        snprintf(why, len, "%s", err);
        return -1;
    }
    if (amdl_load(om, omlen, &m, &aerr)) {
        snprintf(why, len, "load: %s", aerr.msg);
        goto out;
    }
    *nin = amdl_num_inputs(m);
    *nout = amdl_num_outputs(m);
    for (uint32_t k = 0; k < *nin + *nout; k++) {
        bool isout = k >= *nin;
        uint32_t i = isout ? k - *nin : k;
        struct onnx_tensor t;
        int bad;
        if (load_checked(dir, isout ? "output" : "input", i,
                         isout ? amdl_output(m, i) : amdl_input(m, i), &t,
                         why, len)) {
            goto out;
        }
        snprintf(path, sizeof(path), "%s/%s_%u.bin", dest,
                 isout ? "expected" : "input", i);
        bad = om_write_file(path, t.data ? t.data : "", t.nbytes, err,
                            sizeof(err));
        onnx_tensor_free(&t);
        if (bad) {
            snprintf(why, len, "%s", err);
            goto out;
        }
    }
    rc = 0;
out:
    amdl_free(m);
    free(om);
    return rc;
}

static void one_case(const char *atc, const char *outdir, const char *suite,
                     const char *dir, const char *name)
{
    struct result *r = &results[nresults < 256 ? nresults++ : 255];
    char model[4200], om[4300], omf[4400], log[4400], dest[4200];
    uint32_t nin = 0, nout = 0;

    memset(r, 0, sizeof(*r));
    snprintf(r->name, sizeof(r->name), "%s", name);
    snprintf(r->suite, sizeof(r->suite), "%s", suite);
    snprintf(model, sizeof(model), "%s/model.onnx", dir);
    snprintf(om, sizeof(om), "%s/%s", outdir, name);
    snprintf(log, sizeof(log), "%s.atc.log", om);
    if (export_dir) {
        snprintf(dest, sizeof(dest), "%s/%s", export_dir, suite);
        mkdir(dest, 0755);
        snprintf(dest, sizeof(dest), "%s/%s/%s", export_dir, suite, name);
        mkdir(dest, 0755);
        snprintf(om, sizeof(om), "%s/model", dest);
    }
    snprintf(omf, sizeof(omf), "%s.om", om);
    model_ops(model, r->ops, sizeof(r->ops));
    if (run_atc(atc, model, om, log) != 0) {
        atc_reason(log, r->why, sizeof(r->why));
        r->status = out_of_scope(r->why) ? 1 : 2;
        if (export_dir) {
            /* nothing of a refused case goes to the guest */
            remove(omf);
            rmdir(dest);
        }
    } else if (export_dir) {
        if (export_case(dir, dest, &nin, &nout, r->why, sizeof(r->why))) {
            r->status = 2;
        }
    } else if (run_case(omf, dir, r->why, sizeof(r->why))) {
        r->status = 2;
    }
    if (manifest && r->status == 0) {
        fprintf(manifest, "run %s/%s %u %u\n", suite, name, nin, nout);
    } else if (manifest) {
        fprintf(manifest, "%s %s/%s %s\n", r->status == 1 ? "skip" : "fail",
                suite, name, r->why);
    }
    if (r->status == 1) {
        printf("ok %d - %s/%s # SKIP %s\n", ++tap_count, suite, name,
               r->why);
    } else {
        TAP_CHECK(r->status == 0, "%s/%s (%s)%s%s", suite, name, r->ops,
                  r->status ? ": " : export_dir ? ": exported for the VM" :
                  "", r->why);
    }
}

static void markdown(const char *path)
{
    FILE *f = fopen(path, "w");
    int pass = 0, skip = 0, fail = 0;

    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return;
    }
    for (int i = 0; i < nresults; i++) {
        pass += results[i].status == 0;
        skip += results[i].status == 1;
        fail += results[i].status == 2;
    }
    fprintf(f, "| case | ops | result | reason |\n| --- | --- | --- | --- |\n");
    for (int i = 0; i < nresults; i++) {
        const struct result *r = &results[i];
        char why[512];
        size_t k = 0;
        for (const char *p = r->why; *p && k + 2 < sizeof(why); p++) {
            if (*p == '|') {
                why[k++] = '/';
            } else {
                why[k++] = *p;
            }
        }
        why[k] = 0;
        fprintf(f, "| %s/%s | %s | %s | %s |\n", r->suite, r->name, r->ops,
                r->status == 0 ? "pass" : r->status == 1 ? "not supported" :
                "FAIL", why);
    }
    fprintf(f, "\n%d cases: %d pass, %d not supported, %d fail.\n", nresults,
            pass, skip, fail);
    fclose(f);
}

int main(int argc, char **argv)
{
    const char *md = NULL;
    int a = 3;

    if (argc < 4) {
        fprintf(stderr, "usage: test_onnx_models ATC OUTDIR [--markdown FILE "
                "| --export DIR] DATADIR...\n");
        return 2;
    }
    if (argc > 5 && !strcmp(argv[3], "--markdown")) {
        md = argv[4];
        a = 5;
    } else if (argc > 5 && !strcmp(argv[3], "--export")) {
        char path[4200];
        export_dir = argv[4];
        a = 5;
        mkdir(export_dir, 0755);
        snprintf(path, sizeof(path), "%s/cases.txt", export_dir);
        manifest = fopen(path, "w");
        if (!manifest) {
            fprintf(stderr, "%s: %s\n", path, strerror(errno));
            return 2;
        }
    }
    mkdir(argv[2], 0755);
    for (; a < argc; a++) {
        DIR *d = opendir(argv[a]);
        struct dirent *de;
        char *names[512];
        int n = 0;
        const char *suite = strrchr(argv[a], '/');
        suite = suite && suite[1] ? suite + 1 : argv[a];
        if (!d) {
            TAP_CHECK(0, "%s: %s (scripts/deps.sh ops installs "
                      "libonnx-testdata)", argv[a], strerror(errno));
            continue;
        }
        while ((de = readdir(d)) && n < 512) {
            if (de->d_name[0] != '.') {
                names[n++] = strdup(de->d_name);
            }
        }
        closedir(d);
        qsort(names, n, sizeof(char *), cmp_str);
        for (int i = 0; i < n; i++) {
            char dir[4096];
            snprintf(dir, sizeof(dir), "%s/%s", argv[a], names[i]);
            one_case(argv[1], argv[2], suite, dir, names[i]);
            free(names[i]);
        }
    }
    if (md) {
        markdown(md);
    }
    if (manifest && fclose(manifest)) {
        TAP_CHECK(0, "%s/cases.txt written: %s", export_dir, strerror(errno));
    }
    return tap_done();
}
