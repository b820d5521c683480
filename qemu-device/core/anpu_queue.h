/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: queue pairs (vascend_queue_hw.h). A submission
 * ring the device reads and a completion ring it writes, both in guest
 * memory at bus addresses; the doorbells move the guest's side of each;
 * completions carry a phase bit and raise the queue's vector subject to
 * coalescing. Queue 0 is the admin queue, the others IO queues.
 */
#ifndef ANPU_QUEUE_H
#define ANPU_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "anpu_mmu.h"
#include "vascend_queue_hw.h"

struct anpu;
struct anpu_ctx;
struct anpu_launch;

enum anpu_task_state {
    ANPU_TASK_RUNNING,      /* jobs out on the worker pool */
    ANPU_TASK_PARKED,       /* EVENT_WAIT: value not reached yet */
    ANPU_TASK_HUNG,         /* injected AI Core hang: never completes */
    ANPU_TASK_STALLED,      /* admin command waiting for jobs to drain */
};

/*
 * The SQE a queue has started and not completed. Heap-allocated: a reset
 * may take it from its queue (q = NULL) while its jobs still run; the last
 * reference frees it.
 */
struct anpu_task {
    struct anpu *d;
    struct anpu_queue *q;               /* NULL once orphaned by a reset */
    struct vascend_sqe sqe;
    uint64_t start_ts;
    /* Order of creation (d->task_seq); an admin barrier's limit. */
    uint64_t seq;
    uint64_t barrier;
    enum anpu_task_state state;
    /* Jobs out, plus one while a queue holds the task. */
    unsigned int refs;
    unsigned int jobs_out;
    /* Read by workers (atomically): stop at the next chunk. */
    int cancel;
    /* Set with cancel: complete with this status once the jobs are back. */
    uint16_t abort_status;

    /* MEMCPY: [0] source, [1] destination; MEMSET: [0]. */
    struct anpu_xlate xl[2];
    unsigned int nxl;
    /* KERNEL_LAUNCH */
    struct anpu_launch *launch;
    int stage;
    /* MODEL_EXECUTE */
    struct anpu_mexec *mexec;
};

struct anpu_queue {
    bool exists;
    uint16_t qid;
    uint16_t vector;
    struct anpu_ctx *ctx;               /* IO queues */
    uint64_t sq_base;
    uint64_t cq_base;
    uint32_t depth;

    uint32_t sq_head;                   /* next SQE the device reads */
    uint32_t sq_tail;                   /* doorbell */
    uint32_t cq_tail;                   /* next CQE slot the device writes */
    uint32_t cq_head;                   /* doorbell */
    bool cq_phase;                      /* phase of the current pass */

    /* An error completed: take no SQE until RESET_QUEUE/RESET_CONTEXT. */
    bool stopped;
    struct anpu_task *task;
    /* A completion waiting for a free CQ slot (at most one). */
    bool cqe_pending;
    bool cqe_pending_irq;
    struct vascend_cqe pending;

    /* Interrupt coalescing (0/0: every CQE interrupts). */
    uint16_t co_count;
    uint16_t co_usecs;
    uint32_t co_waiting;                /* CQEs posted, not yet signalled */
    uint64_t co_deadline;               /* device clock; 0: none */
};

/* Device clock (ns since reset). */
uint64_t anpu_now(struct anpu *d);

/* Set @q up as an empty queue pair; the caller checked the arguments. */
void anpu_queue_setup(struct anpu_queue *q, uint16_t qid, uint64_t sq_base,
                      uint64_t cq_base, uint32_t depth, uint16_t vector);

/* Forget @q (its task must be gone). */
void anpu_queue_clear(struct anpu_queue *q);

/* True when an SQE is waiting and the queue may take it. */
bool anpu_queue_has_sqe(const struct anpu_queue *q);

/*
 * Read the SQE at the head and advance the head. Returns false (the head
 * still advanced) when guest memory could not be read.
 */
bool anpu_queue_fetch(struct anpu *d, struct anpu_queue *q,
                      struct vascend_sqe *sqe);

/*
 * Complete the SQE @sqe of @q: build the CQE (an error status also stops
 * the queue) and post it, or keep it until the CQ has room.
 */
void anpu_queue_complete(struct anpu *d, struct anpu_queue *q,
                         const struct vascend_sqe *sqe, uint64_t start_ts,
                         uint16_t status, uint32_t info, uint64_t result);

/* Post a kept completion if the CQ has room now; true when none is left. */
bool anpu_queue_flush_pending(struct anpu *d, struct anpu_queue *q);

/* True when @q can make no progress by itself (idle, parked, stopped...). */
bool anpu_queue_idle(const struct anpu *d, const struct anpu_queue *q);

/* Signal CQEs held back by count-only coalescing once @q is idle. */
void anpu_queue_idle_flush(struct anpu *d, struct anpu_queue *q);

/* Coalescing deadlines due at @now: raise them. Returns the next one. */
uint64_t anpu_queue_timers(struct anpu *d, uint64_t now);

/* Doorbell page of queue @qid, offset @off. */
void anpu_queue_db_write(struct anpu *d, unsigned int qid, uint64_t off,
                         uint32_t val);
uint32_t anpu_queue_db_read(struct anpu *d, unsigned int qid, uint64_t off);

#endif /* ANPU_QUEUE_H */
