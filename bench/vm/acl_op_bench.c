// SPDX-License-Identifier: MIT
/*
 * acl_op_bench: runs in the VM. The runtime's cost per single-op call:
 * aclopExecuteV2 of a tiny Add (16 fp32 elements) followed by
 * aclrtSynchronizeStream, against the same KERNEL_LAUNCH task (same op,
 * same tensors, a descriptor built once by hand) submitted and waited for
 * with the raw HAL calls (halVascendStreamSubmit + halVascendStreamWait on
 * a stream of its own). Both paths alternate call by call in the same
 * process; each figure is the median time per call.
 *
 *   BENCH name=op_overhead value=<us per aclopExecuteV2+sync> unit=us
 *         ref=hal_submit ratio=<HAL time / AscendCL time>
 *
 * Exits non-zero when a call fails or an Add comes out wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "acl/acl.h"
#include "ascend_hal.h"
#include "vascend_op.h"
#include "vascend_davinci.h"

#define N	16
#define CALLS	1000

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static int fail(const char *what)
{
	const char *m = aclGetRecentErrMsg();

	fprintf(stderr, "acl_op_bench: %s failed: %s (HAL: %s)\n", what, m ? m : "-",
		halVascendLastErrorMsg());
	return 1;
}

/* The descriptor of Add(a, b) -> c over N fp32 elements, as vascend_op.h lays it out. */
static size_t build_desc(void *mem, uint32_t op_id, void *a, void *b, void *c)
{
	struct vascend_op_desc *h = mem;
	struct vascend_tensor_desc *t = (void *)(h + 1);
	void *addr[3] = { a, b, c };
	size_t total = sizeof(*h) + 3 * sizeof(*t);
	int i;

	memset(mem, 0, total);
	h->magic = VASCEND_OP_DESC_MAGIC;
	h->version = VASCEND_OP_DESC_VERSION;
	h->header_size = sizeof(*h);
	h->op_id = op_id;
	h->num_inputs = 2;
	h->num_outputs = 1;
	h->attr_offset = (uint32_t)total;
	h->attr_count = 0;
	h->total_size = (uint32_t)total;
	for (i = 0; i < 3; i++) {
		t[i].addr = (uint64_t)(uintptr_t)addr[i];
		t[i].size = N * sizeof(float);
		t[i].dtype = ACL_FLOAT;
		t[i].format = ACL_FORMAT_ND;
		t[i].ndim = 1;
		t[i].dims[0] = N;
	}
	return total;
}

int main(void)
{
	float ha[N], hb[N], hc[N];
	int64_t dims[1] = { N };
	void *a = NULL, *b = NULL, *c = NULL, *desc = NULL;
	struct halVascendOpEntry ops[256];
	struct halVascendStreamStatus st;
	aclTensorDesc *td[3];
	aclDataBuffer *db[3];
	aclopAttr *attr;
	aclrtStream s = NULL;
	struct vascend_task task;
	static double acl_all[CALLS], acl_sub[CALLS], hal_all[CALLS], hal_sub[CALLS];
	double m_acl, m_hal, t0, t1, t;
	uint32_t nops = 0, sid = 0, op_id = 0, i;
	uint64_t seq = 0;
	size_t dsize;
	int k, found = 0;

	for (i = 0; i < N; i++) {
		ha[i] = (float)i;
		hb[i] = 0.5f * (float)i + 1.0f;
	}
	if (aclInit(NULL) || aclrtSetDevice(0) || aclrtCreateStream(&s))
		return fail("aclInit/aclrtSetDevice/aclrtCreateStream");
	if (aclrtMalloc(&a, sizeof(ha), ACL_MEM_MALLOC_HUGE_FIRST) ||
	    aclrtMalloc(&b, sizeof(hb), ACL_MEM_MALLOC_HUGE_FIRST) ||
	    aclrtMalloc(&c, sizeof(hc), ACL_MEM_MALLOC_HUGE_FIRST) ||
	    aclrtMemcpy(a, sizeof(ha), ha, sizeof(ha), ACL_MEMCPY_HOST_TO_DEVICE) ||
	    aclrtMemcpy(b, sizeof(hb), hb, sizeof(hb), ACL_MEMCPY_HOST_TO_DEVICE))
		return fail("device buffers");
	for (k = 0; k < 3; k++) {
		td[k] = aclCreateTensorDesc(ACL_FLOAT, 1, dims, ACL_FORMAT_ND);
		db[k] = aclCreateDataBuffer(k == 0 ? a : k == 1 ? b : c, sizeof(ha));
	}
	attr = aclopCreateAttr();

	/* the raw path: the op's id, a descriptor in pinned memory, a HAL stream */
	if (halVascendGetOpTable(0, ops, 256, &nops))
		return fail("halVascendGetOpTable");
	for (i = 0; i < nops && i < 256; i++)
		if (!strcmp(ops[i].name, "Add")) {
			op_id = ops[i].opId;
			found = 1;
		}
	if (!found)
		return fail("finding Add in the op table");
	if (aclrtMallocHost(&desc, 4096))
		return fail("aclrtMallocHost");
	dsize = build_desc(desc, op_id, a, b, c);
	if (halVascendStreamCreate(0, 0, &sid))
		return fail("halVascendStreamCreate");
	memset(&task, 0, sizeof(task));
	task.type = VASCEND_TASK_KERNEL_LAUNCH;
	task.flags = VASCEND_TASK_F_IRQ_NOW;
	task.u.launch.desc = (uint64_t)(uintptr_t)desc;
	task.u.launch.desc_size = (uint32_t)dsize;
	task.u.launch.op_id = op_id;

	/* both paths compute the right thing */
	if (halVascendStreamSubmit(0, sid, &task, 1, 0, &seq) ||
	    halVascendStreamWait(0, sid, seq, HAL_VASCEND_WAIT_FOREVER, &st) || st.status)
		return fail("the HAL Add");
	aclrtMemcpy(hc, sizeof(hc), c, sizeof(hc), ACL_MEMCPY_DEVICE_TO_HOST);
	for (i = 0; i < N; i++)
		if (hc[i] != ha[i] + hb[i])
			return fail("checking the HAL Add's result");
	aclrtMemset(c, sizeof(hc), 0, sizeof(hc));
	if (aclopExecuteV2("Add", 2, td, db, 1, td + 2, db + 2, attr, s) ||
	    aclrtSynchronizeStream(s))
		return fail("aclopExecuteV2");
	aclrtMemcpy(hc, sizeof(hc), c, sizeof(hc), ACL_MEMCPY_DEVICE_TO_HOST);
	for (i = 0; i < N; i++)
		if (hc[i] != ha[i] + hb[i])
			return fail("checking aclopExecuteV2's result");

	/*
	 * Alternate single calls of the two paths and take medians: the VM
	 * shares two host cores with other work, which moves the absolute
	 * figures by 2x between seconds; alternating call by call cancels that.
	 */
	for (k = 0; k < CALLS; k++) {
		t0 = now_us();
		if (aclopExecuteV2("Add", 2, td, db, 1, td + 2, db + 2, attr, s))
			return fail("aclopExecuteV2");
		t1 = now_us();
		if (aclrtSynchronizeStream(s))
			return fail("aclrtSynchronizeStream");
		t = now_us();
		acl_sub[k] = t1 - t0;
		acl_all[k] = t - t0;
		t0 = now_us();
		if (halVascendStreamSubmit(0, sid, &task, 1, 0, &seq))
			return fail("halVascendStreamSubmit");
		t1 = now_us();
		if (halVascendStreamWait(0, sid, seq, HAL_VASCEND_WAIT_FOREVER, &st) || st.status)
			return fail("halVascendStreamWait");
		t = now_us();
		hal_sub[k] = t1 - t0;
		hal_all[k] = t - t0;
	}
	m_acl = median(acl_all, CALLS);
	m_hal = median(hal_all, CALLS);
	printf("BENCH name=op_overhead value=%.1f unit=us ref=hal_submit ratio=%.3f\n", m_acl,
	       m_hal / m_acl);
	printf("# median per call of %d, alternating: aclopExecuteV2 + aclrtSynchronizeStream "
	       "%.1f us, halVascendStreamSubmit + halVascendStreamWait %.1f us (Add, %d fp32)\n",
	       CALLS, m_acl, m_hal, N);
	printf("# submission alone: aclopExecuteV2 %.1f us, halVascendStreamSubmit %.1f us\n",
	       median(acl_sub, CALLS), median(hal_sub, CALLS));

	/*
	 * Where the op path's extra time goes: a one-task aclrtMemsetAsync
	 * (the runtime's stream layer alone: checks, stream lookup, submit)
	 * against the same MEMSET task through the HAL.
	 */
	{
		struct vascend_task ms;

		memset(&ms, 0, sizeof(ms));
		ms.type = VASCEND_TASK_MEMSET;
		ms.flags = VASCEND_TASK_F_IRQ_NOW;
		ms.u.memset.dst = (uint64_t)(uintptr_t)c;
		ms.u.memset.len = sizeof(hc);
		for (k = 0; k < CALLS; k++) {
			t0 = now_us();
			if (aclrtMemsetAsync(c, sizeof(hc), 0, sizeof(hc), s))
				return fail("aclrtMemsetAsync");
			t1 = now_us();
			if (aclrtSynchronizeStream(s))
				return fail("aclrtSynchronizeStream");
			acl_sub[k] = t1 - t0;
			t0 = now_us();
			if (halVascendStreamSubmit(0, sid, &ms, 1, 0, &seq))
				return fail("halVascendStreamSubmit (MEMSET)");
			t1 = now_us();
			if (halVascendStreamWait(0, sid, seq, HAL_VASCEND_WAIT_FOREVER, &st))
				return fail("halVascendStreamWait (MEMSET)");
			hal_sub[k] = t1 - t0;
		}
		printf("# submission alone, one MEMSET task: aclrtMemsetAsync %.1f us, "
		       "halVascendStreamSubmit %.1f us\n", median(acl_sub, CALLS),
		       median(hal_sub, CALLS));
	}

	/* how fast this guest runs plain runtime code: the cheapest calls */
	{
		int32_t devid;
		size_t fr, tot;

		t0 = now_us();
		for (k = 0; k < CALLS; k++)
			aclrtGetDevice(&devid);
		t1 = now_us();
		for (k = 0; k < CALLS; k++)
			aclrtGetMemInfo(ACL_HBM_MEM, &fr, &tot);
		t = now_us();
		printf("# calibration: aclrtGetDevice %.2f us, aclrtGetMemInfo (one ioctl) %.2f us\n",
		       (t1 - t0) / CALLS, (t - t1) / CALLS);
	}

	halVascendStreamDestroy(0, sid);
	aclrtFreeHost(desc);
	for (k = 0; k < 3; k++) {
		aclDestroyTensorDesc(td[k]);
		aclDestroyDataBuffer(db[k]);
	}
	aclopDestroyAttr(attr);
	aclrtFree(a);
	aclrtFree(b);
	aclrtFree(c);
	aclrtDestroyStream(s);
	aclrtResetDevice(0);
	aclFinalize();
	return 0;
}
