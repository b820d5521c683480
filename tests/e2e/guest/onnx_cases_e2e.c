// SPDX-License-Identifier: MIT
/*
 * onnx_cases_e2e: ONNX's model test cases (Debian's libonnx-testdata,
 * "simple" and "pytorch-converted") through aclmdl* on the card, in the VM.
 * TAP, one line per case.
 *
 *   onnx_cases_e2e [--one-process] DIR
 *
 * DIR is what `test_onnx_models ... --export DIR` wrote on the host
 * (tests/host/models/test_onnx_models.c): DIR/cases.txt lists every case as
 * "run SUITE/CASE NIN NOUT", "skip SUITE/CASE REASON" or "fail SUITE/CASE
 * REASON"; a run case has DIR/SUITE/CASE/model.om (atc's output),
 * input_<i>.bin and expected_<i>.bin (test_data_set_0, raw). A run case is
 * loaded with aclmdlLoadFromFile, its inputs copied to device memory, run
 * with aclmdlExecute, and every output compared with the expected one by
 * the host test's rule: floats |got - want| <= 1e-4 * max(|want|, 1e-2 *
 * the output's largest |want|), every other type exactly. A skip case (atc
 * refused it: an op or a tensor kind out of scope) is a TAP SKIP with atc's
 * reason; a fail case (atc refused it otherwise) fails. The last line is a
 * summary comment with the counts.
 *
 * Each case runs in a child process of its own (aclInit to aclFinalize), so
 * that a case that crashes or wedges the runtime fails alone, with the
 * signal or the message, and the table stays complete. --one-process runs
 * every case in this process instead, one after the other, as one
 * application would.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "acl/acl.h"
#include "guest_file.h"
#include "tap.h"

#define RTOL	1e-4
#define FLOOR	1e-2
#define MAX_IO	16

static const char *msg(void)
{
	const char *m = aclGetRecentErrMsg();

	return m ? m : "(no message)";
}

/* DIR/KIND_I.bin, which must hold exactly @want bytes. */
static void *read_io(const char *dir, const char *kind, size_t i, size_t want, char *why,
		     size_t len)
{
	char path[1024];
	size_t n = 0;
	void *b;

	snprintf(path, sizeof(path), "%s/%s_%zu.bin", dir, kind, i);
	b = read_file(path, &n);
	if (!b) {
		snprintf(why, len, "%s: cannot read", path);
		return NULL;
	}
	if (n != want) {
		snprintf(why, len, "%s: %zu bytes, the model's size is %zu", path, n, want);
		free(b);
		return NULL;
	}
	return b;
}

/* Output @k against @want; 0 or a reason in @why. */
static int compare(aclDataType t, size_t k, const void *got, const void *want, size_t bytes,
		   char *why, size_t len)
{
	const float *g = got, *w = want;
	size_t n = bytes / 4;
	double scale = 0;

	if (t != ACL_FLOAT) {
		if (memcmp(got, want, bytes)) {
			snprintf(why, len, "output %zu (dtype %d) differs", k, (int)t);
			return -1;
		}
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		scale = fmax(scale, fabs(w[i]));
	for (size_t i = 0; i < n; i++) {
		double d = fabs((double)g[i] - w[i]);

		if (!(d <= RTOL * fmax(fabs(w[i]), FLOOR * scale))) {
			snprintf(why, len, "output %zu element %zu: %.9g, expected %.9g", k, i,
				 g[i], w[i]);
			return -1;
		}
	}
	return 0;
}

/* Load, run and check one case in @dir; 0 or a reason in @why. */
static int run_case(const char *dir, size_t nin, size_t nout, char *why, size_t len)
{
	char path[1024];
	uint32_t id;
	aclmdlDesc *desc = NULL;
	aclmdlDataset *in = NULL, *out = NULL;
	void *dev[2 * MAX_IO] = { NULL }, *host[2 * MAX_IO] = { NULL };
	size_t size[2 * MAX_IO] = { 0 };
	size_t i;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/model.om", dir);
	if (aclmdlLoadFromFile(path, &id) != ACL_SUCCESS) {
		snprintf(why, len, "%s", msg());
		return -1;
	}
	desc = aclmdlCreateDesc();
	if (!desc || aclmdlGetDesc(desc, id) != ACL_SUCCESS) {
		snprintf(why, len, "%s", msg());
		goto out;
	}
	if (aclmdlGetNumInputs(desc) != nin || aclmdlGetNumOutputs(desc) != nout ||
	    nin > MAX_IO || nout > MAX_IO) {
		snprintf(why, len, "the model has %zu inputs and %zu outputs, the host saw %zu and %zu",
			 aclmdlGetNumInputs(desc), aclmdlGetNumOutputs(desc), nin, nout);
		goto out;
	}
	in = aclmdlCreateDataset();
	out = aclmdlCreateDataset();
	for (i = 0; i < nin + nout; i++) {
		bool isout = i >= nin;
		size_t k = isout ? i - nin : i;
		aclDataBuffer *b;

		size[i] = isout ? aclmdlGetOutputSizeByIndex(desc, k) :
				  aclmdlGetInputSizeByIndex(desc, k);
		host[i] = read_io(dir, isout ? "expected" : "input", k, size[i], why, len);
		if (!host[i])
			goto out;
		/* a zero-sized tensor still gets a buffer of its own */
		if (aclrtMalloc(&dev[i], size[i] ? size[i] : 1, ACL_MEM_MALLOC_HUGE_FIRST)) {
			snprintf(why, len, "aclrtMalloc(%zu): %s", size[i], msg());
			goto out;
		}
		b = aclCreateDataBuffer(dev[i], size[i]);
		if (!b || aclmdlAddDatasetBuffer(isout ? out : in, b) != ACL_SUCCESS) {
			aclDestroyDataBuffer(b);
			snprintf(why, len, "aclmdlAddDatasetBuffer: %s", msg());
			goto out;
		}
		if (isout) {
			/* poison: an element no task writes shows */
			aclrtMemset(dev[i], size[i], 0x7f, size[i]);
		} else if (size[i] && aclrtMemcpy(dev[i], size[i], host[i], size[i],
						  ACL_MEMCPY_HOST_TO_DEVICE)) {
			snprintf(why, len, "input %zu to the device: %s", k, msg());
			goto out;
		}
	}
	if (aclmdlExecute(id, in, out) != ACL_SUCCESS) {
		snprintf(why, len, "%s", msg());
		goto out;
	}
	for (i = nin; i < nin + nout; i++) {
		void *got = malloc(size[i] ? size[i] : 1);
		int bad;

		if (!got || (size[i] && aclrtMemcpy(got, size[i], dev[i], size[i],
						    ACL_MEMCPY_DEVICE_TO_HOST))) {
			snprintf(why, len, "output %zu from the device: %s", i - nin, msg());
			free(got);
			goto out;
		}
		bad = compare(aclmdlGetOutputDataType(desc, i - nin), i - nin, got, host[i],
			      size[i], why, len);
		free(got);
		if (bad)
			goto out;
	}
	rc = 0;
out:
	for (size_t d = 0; in && d < aclmdlGetDatasetNumBuffers(in); d++)
		aclDestroyDataBuffer(aclmdlGetDatasetBuffer(in, d));
	for (size_t d = 0; out && d < aclmdlGetDatasetNumBuffers(out); d++)
		aclDestroyDataBuffer(aclmdlGetDatasetBuffer(out, d));
	aclmdlDestroyDataset(in);
	aclmdlDestroyDataset(out);
	for (i = 0; i < 2 * MAX_IO; i++) {
		if (dev[i])
			aclrtFree(dev[i]);
		free(host[i]);
	}
	aclmdlDestroyDesc(desc);
	if (aclmdlUnload(id) != ACL_SUCCESS && rc == 0) {
		snprintf(why, len, "%s", msg());
		rc = -1;
	}
	return rc;
}

/* run_case() between aclInit and aclFinalize; 0 or a reason. */
static int run_alone(const char *dir, size_t nin, size_t nout, char *why, size_t len)
{
	int rc;

	if (aclInit(NULL) || aclrtSetDevice(0)) {
		snprintf(why, len, "aclInit/aclrtSetDevice: %s", msg());
		return -1;
	}
	rc = run_case(dir, nin, nout, why, len);
	aclrtResetDevice(0);
	aclFinalize();
	return rc;
}

/* run_alone() in a child process; its reason comes back through a pipe. */
static int run_forked(const char *dir, size_t nin, size_t nout, char *why, size_t len)
{
	int fd[2], st;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	fflush(stdout);
	if (pipe(fd)) {
		snprintf(why, len, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		int rc;

		close(fd[0]);
		why[0] = 0;
		rc = run_alone(dir, nin, nout, why, len);
		if (write(fd[1], why, strlen(why)) < 0)
			rc = -1;
		_exit(rc ? 1 : 0);
	}
	close(fd[1]);
	while (got + 1 < len && (n = read(fd[0], why + got, len - 1 - got)) > 0)
		got += (size_t)n;
	why[got] = 0;
	close(fd[0]);
	if (waitpid(pid, &st, 0) < 0) {
		snprintf(why, len, "waitpid: %s", strerror(errno));
		return -1;
	}
	if (WIFSIGNALED(st)) {
		snprintf(why + got, len - got, "%skilled by signal %d", got ? "; " : "",
			 WTERMSIG(st));
		return -1;
	}
	if (WEXITSTATUS(st) && !got)
		snprintf(why, len, "the case's process exited %d", WEXITSTATUS(st));
	return WEXITSTATUS(st) ? -1 : 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	char path[1024], line[2048], why[2048];
	int pass = 0, skip = 0, fail = 0;
	bool one = argc == 3 && !strcmp(argv[1], "--one-process");
	const char *top = argv[argc - 1];
	double t0 = now();
	FILE *f;

	if (argc != 2 && !one) {
		fprintf(stderr, "usage: onnx_cases_e2e [--one-process] DIR (test_onnx_models "
				"--export DIR)\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/cases.txt", top);
	f = fopen(path, "r");
	if (!f) {
		printf("Bail out! %s: cannot read\n", path);
		return 1;
	}
	if (one && (aclInit(NULL) || aclrtSetDevice(0))) {
		printf("Bail out! aclInit/aclrtSetDevice: %s\n", msg());
		fclose(f);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char kind[8], name[512], dir[700];
		size_t nin, nout;
		int at = 0;

		line[strcspn(line, "\n")] = 0;
		if (sscanf(line, "%7s %511s %n", kind, name, &at) < 2) {
			TAP_CHECK(0, "cases.txt line '%s' is well formed", line);
			fail++;
			continue;
		}
		if (!strcmp(kind, "skip")) {
			printf("ok %d - %s # SKIP not supported: %s\n", ++tap_count, name, line + at);
			skip++;
			continue;
		}
		if (!strcmp(kind, "run") && sscanf(line + at, "%zu %zu", &nin, &nout) == 2) {
			int bad;

			snprintf(dir, sizeof(dir), "%s/%s", top, name);
			why[0] = 0;
			bad = one ? run_case(dir, nin, nout, why, sizeof(why)) :
				    run_forked(dir, nin, nout, why, sizeof(why));
			if (TAP_CHECK(!bad, "%s: aclmdlExecute matches the expected outputs%s%s",
				      name, bad ? ": " : "", why))
				pass++;
			else
				fail++;
			continue;
		}
		TAP_CHECK(0, "%s: atc: %s", name, line + at);
		fail++;
	}
	fclose(f);
	printf("# onnx cases in the VM: %d cases: %d pass, %d not supported, %d fail (%.1f s, %s)\n",
	       pass + skip + fail, pass, skip, fail, now() - t0,
	       one ? "one process" : "a process per case");
	if (one) {
		aclrtResetDevice(0);
		aclFinalize();
	}
	return tap_done();
}
