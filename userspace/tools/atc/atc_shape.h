/* SPDX-License-Identifier: MIT */
/*
 * The shape rules of atc_shape.c, for atc_infer.c's op table.
 */
#ifndef ATC_SHAPE_H
#define ATC_SHAPE_H

#include "atc.h"

/* Input @k of node @ni, or NULL when omitted or absent. */
struct atc_value *atc_in(struct atc_graph *g, int ni, int k);

int r_same(struct atc_graph *g, int ni, struct atc_err *e);
int r_batchnorm(struct atc_graph *g, int ni, struct atc_err *e);
int r_layernorm(struct atc_graph *g, int ni, struct atc_err *e);
int r_binary(struct atc_graph *g, int ni, struct atc_err *e);
int r_matmul(struct atc_graph *g, int ni, struct atc_err *e);
int r_gemm(struct atc_graph *g, int ni, struct atc_err *e);
int r_conv(struct atc_graph *g, int ni, struct atc_err *e);
int r_convt(struct atc_graph *g, int ni, struct atc_err *e);
int r_pool(struct atc_graph *g, int ni, struct atc_err *e);
int r_gpool(struct atc_graph *g, int ni, struct atc_err *e);
int r_reduce(struct atc_graph *g, int ni, struct atc_err *e);
int r_cast(struct atc_graph *g, int ni, struct atc_err *e);
int r_transpose(struct atc_graph *g, int ni, struct atc_err *e);
int r_concat(struct atc_graph *g, int ni, struct atc_err *e);
int r_split(struct atc_graph *g, int ni, struct atc_err *e);
int r_slice(struct atc_graph *g, int ni, struct atc_err *e);
int r_pad(struct atc_graph *g, int ni, struct atc_err *e);
int r_resize(struct atc_graph *g, int ni, struct atc_err *e);
int r_gather(struct atc_graph *g, int ni, struct atc_err *e);
int r_expand(struct atc_graph *g, int ni, struct atc_err *e);
int r_tile(struct atc_graph *g, int ni, struct atc_err *e);
int r_reshape(struct atc_graph *g, int ni, struct atc_err *e);
int r_flatten(struct atc_graph *g, int ni, struct atc_err *e);
int r_squeeze(struct atc_graph *g, int ni, struct atc_err *e);
int r_unsqueeze(struct atc_graph *g, int ni, struct atc_err *e);
int r_dropout(struct atc_graph *g, int ni, struct atc_err *e);
int r_shape(struct atc_graph *g, int ni, struct atc_err *e);
int r_size(struct atc_graph *g, int ni, struct atc_err *e);
int r_constantofshape(struct atc_graph *g, int ni, struct atc_err *e);
int r_range(struct atc_graph *g, int ni, struct atc_err *e);

#endif /* ATC_SHAPE_H */
