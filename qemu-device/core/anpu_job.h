/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: jobs, the heavy part of a task (moving data over
 * segment lists, running an op's tiles on one AI Core) that runs outside
 * the device's state machine, on a worker thread, without the BQL.
 *
 * Life of a job: the core fills it in and hands it to ops->submit_job();
 * the environment calls anpu_job_run() once, on any thread, then (back on
 * the thread that runs the core, e.g. from the bottom half) anpu_job_done().
 * Between the two calls the core does not touch the job except to set its
 * task's cancel flag; anpu_job_run() touches nothing but the job, its task's
 * read-only description and the memory its translations map. The core frees
 * the job in anpu_job_done(); a job handed back after a reset is dropped
 * there without effect.
 */
#ifndef ANPU_JOB_H
#define ANPU_JOB_H

#include <stdbool.h>
#include <stdint.h>

struct anpu_task;

enum anpu_job_kind {
    ANPU_JOB_COPY,          /* MEMCPY: source segments to destination */
    ANPU_JOB_FILL,          /* MEMSET */
    ANPU_JOB_GATHER,        /* KERNEL_LAUNCH: split tensors into buffers */
    ANPU_JOB_CORE,          /* KERNEL_LAUNCH: one AI Core's blocks */
    ANPU_JOB_SCATTER,       /* KERNEL_LAUNCH: buffers back to split outputs */
    ANPU_JOB_MODEL,         /* MODEL_EXECUTE: validate, run the task list */
    ANPU_JOB_AICORE,        /* MODEL_EXECUTE: an AI Core taking its tiles */
};

struct anpu_job {
    /* Free for the environment between submit_job() and anpu_job_done(). */
    struct anpu_job *env_next;

    enum anpu_job_kind kind;
    struct anpu_task *task;
    /* ANPU_JOB_CORE, _MODEL, _AICORE: the AI Core this job plays. */
    uint32_t core;

    /* Written by anpu_job_run(). */
    bool stopped;           /* gave up early: the task was cancelled */
    uint64_t start_ns;      /* ops->now_ns() around the work */
    uint64_t end_ns;
    /* Of that, the time computing (0: all of it): an AI Core waiting. */
    uint64_t busy_ns;
};

/*
 * Do the job's work; safe on any thread, concurrently with the core and
 * with other jobs. Stops early (job->stopped) once the task is cancelled.
 */
void anpu_job_run(struct anpu_job *job);

#endif /* ANPU_JOB_H */
