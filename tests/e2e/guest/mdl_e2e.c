// SPDX-License-Identifier: MIT
/*
 * mdl_e2e: a real model through aclmdl* on the card, in the VM, against
 * onnxruntime's outputs computed on the host for the same inputs. TAP.
 *
 *   mdl_e2e test NAME MODEL.om PREFIX
 *   mdl_e2e bench NAME MODEL.om PREFIX RUNS ORT_SECONDS THREADS
 *
 * PREFIX_input_<i>.bin are the model's inputs (raw, little-endian, as
 * tests/host/models/model_tool gen writes them), PREFIX_ref_<i>.bin
 * onnxruntime's outputs (tests/host/models/ort_run.js). test: loads the
 * model from its file, checks the description against the files, runs
 * aclmdlExecute and compares every output with the rule of model_tool
 * compare: |got - want| <= 1e-4 * max(|want|, 1e-2 * the output's largest
 * |want|); then again with aclmdlExecuteAsync (same bits), from memory,
 * and a truncated and a corrupted copy of the file refused with the field
 * named. bench: the median of RUNS aclmdlExecute calls (inputs and outputs
 * in device memory, 3 warm-up runs first), printed as
 *   BENCH name=model_NAME value=<ms> unit=ms ref=onnxruntime ratio=<ORT/us>
 * (ratio above 1: faster than onnxruntime on the host with THREADS threads).
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "acl/acl.h"
#include "guest_file.h"
#include "tap.h"

#define RTOL	1e-4
#define FLOOR	1e-2
#define MAX_IO	16

static const char *name;

struct model {
	uint32_t id;
	aclmdlDesc *desc;
	size_t nin, nout;
	void *dev[2 * MAX_IO];
	void *host_out[MAX_IO];
	size_t size[2 * MAX_IO];
	aclDataBuffer *buf[2 * MAX_IO];
	aclmdlDataset *in, *out;
};

static void *read_io(const char *prefix, const char *kind, size_t i, size_t want)
{
	char path[512];
	size_t len = 0;
	void *b;

	snprintf(path, sizeof(path), "%s_%s_%zu.bin", prefix, kind, i);
	b = read_file(path, &len);
	if (b && len != want) {
		printf("# %s: %zu bytes, the model's size is %zu\n", path, len, want);
		free(b);
		return NULL;
	}
	if (!b)
		printf("# %s: cannot read\n", path);
	return b;
}

static const char *msg(void)
{
	const char *m = aclGetRecentErrMsg();

	return m ? m : "(no message)";
}

/* Load @path, describe it and set up device buffers holding the inputs. */
static int setup(struct model *m, const char *path, const char *prefix)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	if (!TAP_CHECK(aclmdlLoadFromFile(path, &m->id) == ACL_SUCCESS, "%s: aclmdlLoadFromFile(%s)",
		       name, path)) {
		printf("# %s\n", msg());
		return -1;
	}
	m->desc = aclmdlCreateDesc();
	TAP_CHECK(aclmdlGetDesc(m->desc, m->id) == ACL_SUCCESS, "%s: aclmdlGetDesc", name);
	m->nin = aclmdlGetNumInputs(m->desc);
	m->nout = aclmdlGetNumOutputs(m->desc);
	if (!TAP_CHECK(m->nout >= 1 && m->nin <= MAX_IO && m->nout <= MAX_IO,
		       "%s: %zu inputs, %zu outputs", name, m->nin, m->nout))
		return -1;
	m->in = aclmdlCreateDataset();
	m->out = aclmdlCreateDataset();
	for (i = 0; i < m->nin + m->nout; i++) {
		bool out = i >= m->nin;
		size_t k = out ? i - m->nin : i;
		aclmdlIODims d;
		void *host;

		m->size[i] = out ? aclmdlGetOutputSizeByIndex(m->desc, k) :
				   aclmdlGetInputSizeByIndex(m->desc, k);
		if (out)
			aclmdlGetOutputDims(m->desc, k, &d);
		else
			aclmdlGetInputDims(m->desc, k, &d);
		printf("# %s %s %zu '%s': %zu dims, %zu bytes, dtype %d, format %d\n", name,
		       out ? "output" : "input", k, d.name, d.dimCount, m->size[i],
		       out ? aclmdlGetOutputDataType(m->desc, k) : aclmdlGetInputDataType(m->desc, k),
		       out ? aclmdlGetOutputFormat(m->desc, k) : aclmdlGetInputFormat(m->desc, k));
		if (aclrtMalloc(&m->dev[i], m->size[i], ACL_MEM_MALLOC_HUGE_FIRST)) {
			printf("# aclrtMalloc: %s\n", msg());
			return -1;
		}
		m->buf[i] = aclCreateDataBuffer(m->dev[i], m->size[i]);
		aclmdlAddDatasetBuffer(out ? m->out : m->in, m->buf[i]);
		if (out) {
			m->host_out[k] = malloc(m->size[i]);
			continue;
		}
		host = read_io(prefix, "input", k, m->size[i]);
		if (!host || aclrtMemcpy(m->dev[i], m->size[i], host, m->size[i],
					 ACL_MEMCPY_HOST_TO_DEVICE)) {
			free(host);
			return -1;
		}
		free(host);
	}
	return 0;
}

static void teardown(struct model *m)
{
	for (size_t i = 0; i < m->nin + m->nout; i++) {
		aclDestroyDataBuffer(m->buf[i]);
		aclrtFree(m->dev[i]);
		if (i >= m->nin)
			free(m->host_out[i - m->nin]);
	}
	aclmdlDestroyDataset(m->in);
	aclmdlDestroyDataset(m->out);
	aclmdlDestroyDesc(m->desc);
	TAP_CHECK(aclmdlUnload(m->id) == ACL_SUCCESS, "%s: aclmdlUnload", name);
}

/* Outputs back to the host. */
static int fetch(struct model *m)
{
	for (size_t k = 0; k < m->nout; k++)
		if (aclrtMemcpy(m->host_out[k], m->size[m->nin + k], m->dev[m->nin + k],
				m->size[m->nin + k], ACL_MEMCPY_DEVICE_TO_HOST))
			return -1;
	return 0;
}

static void compare(struct model *m, const char *prefix)
{
	for (size_t k = 0; k < m->nout; k++) {
		size_t bytes = m->size[m->nin + k], n = bytes / 4, bad = 0, worst_i = 0;
		const float *got = m->host_out[k];
		float *want = read_io(prefix, "ref", k, bytes);
		double scale = 0, worst = 0;

		if (aclmdlGetOutputDataType(m->desc, k) != ACL_FLOAT || !want) {
			TAP_CHECK(0, "%s: output %zu is float and has a reference", name, k);
			free(want);
			continue;
		}
		for (size_t i = 0; i < n; i++)
			scale = fmax(scale, fabs(want[i]));
		for (size_t i = 0; i < n; i++) {
			double lim = RTOL * fmax(fabs(want[i]), FLOOR * scale);
			double e = fabs((double)got[i] - want[i]);

			if (!(e <= lim))
				bad++;
			if (lim > 0 && e / lim > worst) {
				worst = e / lim;
				worst_i = i;
			}
		}
		TAP_CHECK(bad == 0, "%s: output %zu ('%s', %zu values) matches onnxruntime to 1e-4 "
			  "relative (worst at %zu: %.7g vs %.7g, %.2f of the bound)", name, k,
			  aclmdlGetOutputNameByIndex(m->desc, k), n, worst_i, got[worst_i],
			  want[worst_i], worst);
		free(want);
	}
}

static int cmd_test(const char *path, const char *prefix)
{
	struct model m;
	aclrtStream s = NULL;
	void *om, *first;
	size_t len = 0;
	uint32_t id;
	aclError rc;

	if (setup(&m, path, prefix))
		return 1;
	if (!TAP_CHECK(aclmdlExecute(m.id, m.in, m.out) == ACL_SUCCESS, "%s: aclmdlExecute", name))
		printf("# %s\n", msg());
	TAP_CHECK(fetch(&m) == 0, "%s: outputs copied back", name);
	compare(&m, prefix);

	/* the same again, queued on a stream: the same bits */
	first = malloc(m.size[m.nin]);
	memcpy(first, m.host_out[0], m.size[m.nin]);
	aclrtMemset(m.dev[m.nin], m.size[m.nin], 0, m.size[m.nin]);
	aclrtCreateStream(&s);
	TAP_CHECK(aclmdlExecuteAsync(m.id, m.in, m.out, s) == ACL_SUCCESS &&
		  aclrtSynchronizeStream(s) == ACL_SUCCESS && fetch(&m) == 0 &&
		  !memcmp(first, m.host_out[0], m.size[m.nin]),
		  "%s: aclmdlExecuteAsync gives the same bits", name);
	aclrtDestroyStream(s);
	free(first);

	om = read_file(path, &len);
	TAP_CHECK(om && aclmdlLoadFromMem(om, len, &id) == ACL_SUCCESS && aclmdlUnload(id) == ACL_SUCCESS,
		  "%s: aclmdlLoadFromMem of the same bytes, unloaded", name);
	if (om) {
		const char *e;

		rc = aclmdlLoadFromMem(om, len / 2, &id);
		e = msg();
		TAP_CHECK(rc == ACL_ERROR_INVALID_FILE && strstr(e, "file_size"),
			  "%s: the truncated file is ACL_ERROR_INVALID_FILE (%s)", name, e);
		((uint8_t *)om)[len - 100] ^= 0x5a;
		rc = aclmdlLoadFromMem(om, len, &id);
		e = msg();
		TAP_CHECK(rc == ACL_ERROR_INVALID_FILE && strstr(e, "checksum"),
			  "%s: a damaged byte is ACL_ERROR_INVALID_FILE (%s)", name, e);
	}
	free(om);
	teardown(&m);
	return 0;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmd_bench(const char *path, const char *prefix, int runs, double ort, int threads)
{
	struct model m;
	double *t, med;
	int i, fail = 0;

	if (runs < 1 || setup(&m, path, prefix))
		return 1;
	t = calloc((size_t)runs, sizeof(*t));
	for (i = 0; i < 3; i++)
		fail |= aclmdlExecute(m.id, m.in, m.out) != ACL_SUCCESS;
	for (i = 0; i < runs && !fail; i++) {
		double s = now();

		fail |= aclmdlExecute(m.id, m.in, m.out) != ACL_SUCCESS;
		t[i] = now() - s;
	}
	if (fail) {
		printf("# %s: aclmdlExecute failed: %s\n", name, msg());
		free(t);
		return 1;
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp_d);
	med = t[runs / 2];
	printf("# %s: aclmdlExecute median %.3f ms (min %.3f, max %.3f) of %d; onnxruntime on the "
	       "host %.3f ms with %d threads\n", name, med * 1e3, t[0] * 1e3, t[runs - 1] * 1e3, runs,
	       ort * 1e3, threads);
	printf("# %s: p10 %.3f, p25 %.3f, p75 %.3f, p90 %.3f ms\n", name, t[runs / 10] * 1e3,
	       t[runs / 4] * 1e3, t[runs * 3 / 4] * 1e3, t[runs * 9 / 10] * 1e3);
	printf("BENCH name=model_%s value=%.3f unit=ms ref=onnxruntime-host-%dt ratio=%.3f\n", name,
	       med * 1e3, threads, ort / med);
	free(t);
	teardown(&m);
	return 0;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc < 5 || (strcmp(argv[1], "test") && strcmp(argv[1], "bench")) ||
	    (!strcmp(argv[1], "bench") && argc < 8)) {
		fprintf(stderr, "usage: mdl_e2e test NAME MODEL.om PREFIX\n"
				"       mdl_e2e bench NAME MODEL.om PREFIX RUNS ORT_SECONDS THREADS\n");
		return 2;
	}
	name = argv[2];
	if (aclInit(NULL) || aclrtSetDevice(0)) {
		printf("Bail out! aclInit/aclrtSetDevice: %s\n", msg());
		return 1;
	}
	if (!strcmp(argv[1], "test"))
		rc = cmd_test(argv[3], argv[4]);
	else
		rc = cmd_bench(argv[3], argv[4], atoi(argv[5]), atof(argv[6]), atoi(argv[7]));
	aclrtResetDevice(0);
	aclFinalize();
	if (!strcmp(argv[1], "test"))
		return tap_done() || rc;
	return rc;
}
