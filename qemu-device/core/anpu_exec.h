/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: IO tasks. Takes SQEs from the IO queues in ring
 * order, checks them, translates every address through the queue's context
 * and runs them: small ones (NOP, events, notify) at once, data movement
 * and op launches as jobs on the worker pool, EVENT_WAIT by parking the
 * queue until the value is reached.
 */
#ifndef ANPU_EXEC_H
#define ANPU_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "anpu_job.h"

struct anpu;
struct anpu_queue;
struct anpu_task;
struct anpu_job;
struct vascend_sqe;

/* Run what IO queue @q can run now (bounded). True: call again soon. */
bool anpu_exec_queue(struct anpu *d, struct anpu_queue *q);

/* Look again at every queue parked in EVENT_WAIT; true if one went on. */
bool anpu_exec_recheck_waits(struct anpu *d);

/* Hand @job to the environment (counts it in flight). */
void anpu_exec_submit(struct anpu *d, struct anpu_task *task,
                      struct anpu_job *job);

/*
 * Allocate a job of @kind for AI Core @core of @task and hand it over;
 * false when out of memory (nothing was submitted).
 */
bool anpu_exec_submit_new(struct anpu *d, struct anpu_task *task,
                          enum anpu_job_kind kind, uint32_t core);

/* Bytes [from, 56) of the SQE's argument words are all zero. */
bool anpu_sqe_unused_zero(const struct vascend_sqe *sqe, size_t from);

/* anpu_exec_abort() status: end the task without a CQE, jobs back first. */
#define ANPU_ABORT_DROP         0xffff

/*
 * End the task in flight on @q, if any: jobs out are cancelled and the
 * task completes with @status once they are back (or at once when none
 * is out). ANPU_ABORT_DROP ends it without a CQE once the jobs are back;
 * 0 orphans it at once (a reset: the jobs finish unseen). Returns true
 * when the task is gone from @q.
 */
bool anpu_exec_abort(struct anpu *d, struct anpu_queue *q, uint16_t status);

/* Drop a task reference; the last one frees it. */
void anpu_task_put(struct anpu *d, struct anpu_task *task);

#endif /* ANPU_EXEC_H */
