/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: the worker side of jobs. Runs on any thread,
 * without the BQL: reads only the job, its task's description (fixed while
 * jobs are out) and the host memory the task's translations mapped.
 */
#include "anpu.h"
#include "anpu_engine.h"
#include "anpu_job.h"
#include "anpu_model.h"
#include "anpu_xfer.h"

void anpu_job_run(struct anpu_job *job)
{
    struct anpu_task *t = job->task;
    struct anpu *d = t->d;
    bool done = true;

    job->start_ns = d->ops->now_ns(d->opaque);
    if (anpu_xfer_cancelled(&t->cancel)) {
        /* Cancelled before it started (a reset): nothing to do. */
        anpu_model_abandon(job);
        job->stopped = true;
        job->end_ns = job->start_ns;
        return;
    }
    switch (job->kind) {
    case ANPU_JOB_COPY:
        done = anpu_xfer_copy(&t->xl[1], &t->xl[0], &t->cancel);
        break;
    case ANPU_JOB_FILL:
        done = anpu_xfer_fill(&t->xl[0], (uint8_t)t->sqe.u.memset.value,
                              &t->cancel);
        break;
    case ANPU_JOB_GATHER:
    case ANPU_JOB_CORE:
    case ANPU_JOB_SCATTER:
        anpu_engine_run_job(job);
        done = !job->stopped;
        break;
    case ANPU_JOB_MODEL:
    case ANPU_JOB_AICORE:
        anpu_model_run_job(job);
        done = !job->stopped;
        break;
    }
    job->stopped = !done;
    job->end_ns = d->ops->now_ns(d->opaque);
}
