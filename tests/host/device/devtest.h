/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The test plays the driver: boots firmware with an op table, brings the
 * admin queue up through its registers, creates contexts and IO queues by
 * admin command, and submits and reaps SQEs/CQEs in guest memory, checking
 * phase bits as a driver would. Shared by the queue, launch and fault tests.
 *
 * Guest memory (harness.h) layout:
 *   FW_AT     firmware image
 *   ASQ/ACQ   admin rings (ADEPTH entries)
 *   ANSWER    admin answers (IDENTIFY, TELEMETRY, GET_OP_TABLE)
 *   RING(q)   IO queue q's SQ, CQ at RING(q) + RING_CQ (depth <= 2048)
 *   PT_POOL   page tables
 *   DATA      data pages, DATA_SIZE bytes
 */
#ifndef VASCEND_TEST_DEVICE_DEVTEST_H
#define VASCEND_TEST_DEVICE_DEVTEST_H

#include "fwimage.h"
#include "harness.h"
#include "pagetable.h"
#include "vascend_hdc_hw.h"
#include "vascend_op.h"
#include "vascend_queue_hw.h"

#define FW_AT           (GUEST_BASE + 0x0)
#define ASQ             (GUEST_BASE + 0x10000)
#define ACQ             (GUEST_BASE + 0x11000)
#define ANSWER          (GUEST_BASE + 0x12000)
#define ADEPTH          16
#define RING(q)         (GUEST_BASE + 0x100000 + (uint64_t)(q) * 0x40000)
#define RING_CQ         0x20000
#define PT_POOL         (GUEST_BASE + 0x600000)
#define PT_POOL_SIZE    0x200000
#define DATA            (GUEST_BASE + 0x800000)
#define DATA_SIZE       (GUEST_SIZE - 0x800000)
#define DT_HBM_SIZE     (16U << 20)

#define VADD_ID         7       /* the test firmware's id for TestVectorAdd */

struct dt_queue {
    uint32_t depth;
    uint32_t tail;      /* next SQ slot we write */
    uint32_t head;      /* next CQ slot we read */
    int phase;
};

struct dt {
    struct env *e;
    struct dt_queue q[VASCEND_MAX_QUEUES];
    uint32_t next_task;
};

static inline void *gptr(struct env *e, uint64_t bus)
{
    if (!env_in_guest(bus, 1)) {
        printf("Bail out! 0x%llx outside guest memory\n",
               (unsigned long long)bus);
        exit(1);
    }
    return e->guest + (bus - GUEST_BASE);
}

/* An image with build info, an op table and the four HDC services. */
static inline void dt_fw_image(struct img *im)
{
    struct vascend_fw_op op = { .op_id = VADD_ID, .version = 1 };
    struct vascend_fw_hdc_service svc[4];
    static const char *const names[] = { "echo", "mgmt", "log", "file" };
    int i;

    memset(svc, 0, sizeof(svc));
    for (i = 0; i < 4; i++) {
        svc[i].type = VASCEND_HDC_SVC_ECHO + i;
        svc[i].version = 1;
        strcpy(svc[i].name, names[i]);
    }
    strcpy(op.name, "TestVectorAdd");
    img_start(im, TEST_FW_VERSION);
    img_add(im, VASCEND_FW_SECT_BUILD_INFO, TEST_BUILD_INFO,
            sizeof(TEST_BUILD_INFO));
    img_add(im, VASCEND_FW_SECT_OP_TABLE, &op, sizeof(op));
    img_add(im, VASCEND_FW_SECT_HDC_SERVICES, svc, sizeof(svc));
    img_seal(im);
}

/* Boot @im; returns FW_STATUS. */
static inline uint32_t dt_boot_image(struct env *e, const struct img *im)
{
    memcpy(gptr(e, FW_AT), im->buf, im->len);
    wr64(e, VASCEND_REG_FW_ADDR_LO, FW_AT);
    wr(e, VASCEND_REG_FW_SIZE, im->len);
    wr(e, VASCEND_REG_FW_CTRL, VASCEND_FW_CTRL_BOOT);
    env_process(e);
    return rd(e, VASCEND_REG_FW_STATUS);
}

static inline void dt_boot(struct dt *t)
{
    static struct img im;

    dt_fw_image(&im);
    if (dt_boot_image(t->e, &im) != VASCEND_FW_STATUS_RUNNING) {
        printf("Bail out! test firmware did not boot: %s\n",
               t->e->last_error);
        exit(1);
    }
}

/* Program and enable the admin queue; returns AQ_STATUS. */
static inline uint32_t dt_admin_enable(struct dt *t, uint32_t depth)
{
    struct env *e = t->e;

    memset(gptr(e, ASQ), 0, 0x1000);
    memset(gptr(e, ACQ), 0, 0x1000);
    wr64(e, VASCEND_REG_AQ_SQ_BASE_LO, ASQ);
    wr64(e, VASCEND_REG_AQ_CQ_BASE_LO, ACQ);
    wr(e, VASCEND_REG_AQ_DEPTH, depth);
    wr(e, VASCEND_REG_AQ_CTRL, VASCEND_AQ_CTRL_ENABLE);
    t->q[0].depth = depth;
    t->q[0].tail = 0;
    t->q[0].head = 0;
    t->q[0].phase = 1;
    return rd(e, VASCEND_REG_AQ_STATUS);
}

/* A device with @cfg (NULL: the defaults, 16 MiB HBM), admin queue up. */
static inline struct dt *dt_new_cfg(struct anpu_config *cfg, int boot)
{
    struct dt *t = calloc(1, sizeof(*t));
    struct anpu_config def;

    if (!cfg) {
        env_config(&def);
        def.hbm_size = DT_HBM_SIZE;
        cfg = &def;
    }
    t->e = env_new_cfg(cfg);
    t->next_task = 1;
    if (boot) {
        dt_boot(t);
    }
    if (dt_admin_enable(t, ADEPTH) != VASCEND_AQ_STATUS_READY) {
        printf("Bail out! admin queue did not come up\n");
        exit(1);
    }
    return t;
}

static inline struct dt *dt_new(void)
{
    return dt_new_cfg(NULL, 1);
}

static inline void dt_free(struct dt *t)
{
    env_free(t->e);
    free(t);
}

/* Write @sqe at queue @qid's tail (no doorbell). */
static inline void dt_push(struct dt *t, unsigned int qid,
                           const struct vascend_sqe *sqe)
{
    struct dt_queue *q = &t->q[qid];
    uint64_t base = qid ? RING(qid) : ASQ;

    memcpy(gptr(t->e, base + (uint64_t)q->tail * 64), sqe, 64);
    q->tail = (q->tail + 1) % q->depth;
}

static inline void dt_ring(struct dt *t, unsigned int qid)
{
    wr(t->e, VASCEND_DOORBELL(qid) + VASCEND_DB_SQ_TAIL, t->q[qid].tail);
}

static inline void dt_submit(struct dt *t, unsigned int qid,
                             const struct vascend_sqe *sqe)
{
    dt_push(t, qid, sqe);
    dt_ring(t, qid);
}

/* The CQE at queue @qid's head if its phase says it is new, else 0. */
static inline int dt_peek(struct dt *t, unsigned int qid,
                          struct vascend_cqe *cqe)
{
    struct dt_queue *q = &t->q[qid];
    uint64_t base = qid ? RING(qid) + RING_CQ : ACQ;

    memcpy(cqe, gptr(t->e, base + (uint64_t)q->head * 64), 64);
    return (cqe->flags & VASCEND_CQE_F_PHASE) == (q->phase ? 1 : 0);
}

/* Take the next CQE and return its slot (CQ_HEAD doorbell); 0 if none. */
static inline int dt_reap(struct dt *t, unsigned int qid,
                          struct vascend_cqe *cqe)
{
    struct dt_queue *q = &t->q[qid];

    if (!dt_peek(t, qid, cqe)) {
        return 0;
    }
    q->head = (q->head + 1) % q->depth;
    if (q->head == 0) {
        q->phase = !q->phase;
    }
    wr(t->e, VASCEND_DOORBELL(qid) + VASCEND_DB_CQ_HEAD, q->head);
    return 1;
}

/* Run one admin command to completion; returns its status (0xffff: none). */
static inline uint16_t dt_admin(struct dt *t, struct vascend_sqe *sqe,
                                struct vascend_cqe *out)
{
    struct vascend_cqe cqe;

    if (!sqe->task_id) {
        sqe->task_id = t->next_task++;
    }
    dt_submit(t, 0, sqe);
    env_process(t->e);
    if (!dt_reap(t, 0, &cqe)) {
        memset(&cqe, 0, sizeof(cqe));
        cqe.status = 0xffff;
    } else if (cqe.task_id != sqe->task_id) {
        printf("# admin CQE for task %u, expected %u\n", cqe.task_id,
               sqe->task_id);
        cqe.status = 0xfffe;
    }
    if (out) {
        *out = cqe;
    }
    return cqe.status;
}

static inline uint16_t dt_create_ctx(struct dt *t, uint32_t id,
                                     uint64_t pt_root)
{
    struct vascend_sqe s = { .opcode = VASCEND_ADMIN_CREATE_CONTEXT };

    s.u.context.ctx_id = id;
    s.u.context.pt_root = pt_root;
    return dt_admin(t, &s, NULL);
}

static inline uint16_t dt_ctx_cmd(struct dt *t, uint8_t op, uint32_t id)
{
    struct vascend_sqe s = { .opcode = op };

    s.u.context.ctx_id = id;
    return dt_admin(t, &s, NULL);
}

static inline uint16_t dt_create_queue_co(struct dt *t, uint16_t qid,
                                          uint32_t ctx, uint32_t depth,
                                          uint16_t vector, uint16_t count,
                                          uint16_t usecs)
{
    struct vascend_sqe s = { .opcode = VASCEND_ADMIN_CREATE_QUEUE };
    uint16_t st;

    s.u.queue.qid = qid;
    s.u.queue.vector = vector;
    s.u.queue.ctx_id = ctx;
    s.u.queue.sq_base = RING(qid);
    s.u.queue.cq_base = RING(qid) + RING_CQ;
    s.u.queue.depth = depth;
    s.u.queue.coalesce_count = count;
    s.u.queue.coalesce_usecs = usecs;
    if (qid < VASCEND_MAX_QUEUES && depth <= 2048) {
        memset(gptr(t->e, RING(qid)), 0, 0x40000);
    }
    st = dt_admin(t, &s, NULL);
    if (!st) {
        t->q[qid].depth = depth;
        t->q[qid].tail = 0;
        t->q[qid].head = 0;
        t->q[qid].phase = 1;
    }
    return st;
}

static inline uint16_t dt_create_queue(struct dt *t, uint16_t qid,
                                       uint32_t ctx, uint32_t depth)
{
    return dt_create_queue_co(t, qid, ctx, depth, 2, 0, 0);
}

static inline uint16_t dt_queue_cmd(struct dt *t, uint8_t op, uint16_t qid,
                                    struct vascend_cqe *cqe)
{
    struct vascend_sqe s = { .opcode = op };

    s.u.queue.qid = qid;
    return dt_admin(t, &s, cqe);
}

/* Submit one IO SQE, run the device, reap its CQE; returns the status. */
static inline uint16_t dt_io(struct dt *t, unsigned int qid,
                             struct vascend_sqe *sqe, struct vascend_cqe *out)
{
    struct vascend_cqe cqe;

    if (!sqe->task_id) {
        sqe->task_id = t->next_task++;
    }
    dt_submit(t, qid, sqe);
    env_process(t->e);
    if (!dt_reap(t, qid, &cqe)) {
        memset(&cqe, 0, sizeof(cqe));
        cqe.status = 0xffff;
    }
    if (out) {
        *out = cqe;
    }
    return cqe.status;
}

static inline struct vascend_sqe sqe_op(uint8_t opcode)
{
    struct vascend_sqe s;

    memset(&s, 0, sizeof(s));
    s.opcode = opcode;
    return s;
}

static inline struct vascend_sqe sqe_memcpy(uint64_t dst, uint64_t src,
                                            uint64_t len)
{
    struct vascend_sqe s = sqe_op(VASCEND_OP_MEMCPY);

    s.u.memcpy.src = src;
    s.u.memcpy.dst = dst;
    s.u.memcpy.len = len;
    return s;
}

static inline struct vascend_sqe sqe_memset(uint64_t dst, uint8_t v,
                                            uint64_t len)
{
    struct vascend_sqe s = sqe_op(VASCEND_OP_MEMSET);

    s.u.memset.dst = dst;
    s.u.memset.len = len;
    s.u.memset.value = v;
    return s;
}

static inline struct vascend_sqe sqe_event(uint8_t op, uint64_t addr,
                                           uint64_t value)
{
    struct vascend_sqe s = sqe_op(op);

    s.u.event.addr = addr;
    s.u.event.value = value;
    return s;
}

static inline struct vascend_sqe sqe_launch(uint64_t desc, uint32_t size,
                                            uint32_t block_dim,
                                            uint32_t op_id)
{
    struct vascend_sqe s = sqe_op(VASCEND_OP_KERNEL_LAUNCH);

    s.u.launch.desc = desc;
    s.u.launch.desc_size = size;
    s.u.launch.block_dim = block_dim;
    s.u.launch.op_id = op_id;
    return s;
}

/*
 * A TestVectorAdd descriptor for c = a + b over @n fp32 elements (1-D) at
 * @buf; returns its size.
 */
static inline uint32_t desc_vadd(void *buf, uint32_t op_id, uint64_t a,
                                 uint64_t b, uint64_t c, int64_t n)
{
    struct vascend_op_desc *h = buf;
    struct vascend_tensor_desc *t = (void *)(h + 1);
    uint64_t addr[3] = { a, b, c };
    int i;

    memset(buf, 0, sizeof(*h) + 3 * sizeof(*t));
    h->magic = VASCEND_OP_DESC_MAGIC;
    h->version = VASCEND_OP_DESC_VERSION;
    h->header_size = sizeof(*h);
    h->op_id = op_id;
    h->num_inputs = 2;
    h->num_outputs = 1;
    h->attr_offset = sizeof(*h) + 3 * sizeof(*t);
    h->total_size = h->attr_offset;
    for (i = 0; i < 3; i++) {
        t[i].addr = addr[i];
        t[i].size = (uint64_t)n * 4;
        t[i].dtype = 0;
        t[i].format = 2;
        t[i].ndim = 1;
        t[i].dims[0] = n;
    }
    return h->total_size;
}

#endif /* VASCEND_TEST_DEVICE_DEVTEST_H */
