/* SPDX-License-Identifier: MIT */
/*
 * The ONNX ops atc knows: how each infers its outputs, whether it is a
 * view, runs on the device, or exists only to be folded at compile time.
 */
#ifndef ATC_OPS_H
#define ATC_OPS_H

#include "atc.h"

/* struct atc_op_rule.flags */
#define ATC_R_DEVICE    (1u << 0)   /* a task: op id from the op table */
#define ATC_R_VIEW      (1u << 1)   /* output 0 views input 0's bytes */
#define ATC_R_COMPILE   (1u << 2)   /* must fold: there is no task for it */
#define ATC_R_REWRITE   (1u << 3)   /* replaced by other nodes at import */

struct atc_op_rule {
    const char *onnx;
    int (*infer)(struct atc_graph *g, int ni, struct atc_err *e);
    uint32_t flags;
};

/* NULL when atc does not know @op_type. */
const struct atc_op_rule *atc_op_rule(const char *op_type);
bool atc_op_supported(const char *op_type);

/* "node 'x' (Conv): " + message; returns -1. */
int atc_node_fail(struct atc_err *e, const struct atc_node *n,
                  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Replace node @ni (an ATC_R_REWRITE op) by ops the library has, and
 * infer the new nodes (atc_rewrite.c). */
int atc_rewrite_node(struct atc_graph *g, int ni, struct atc_err *e);

#endif /* ATC_OPS_H */
