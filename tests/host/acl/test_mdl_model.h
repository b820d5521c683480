/* SPDX-License-Identifier: MIT */
/*
 * The model the aclmdl tests load, built with the .om writer:
 *   Z[6] = LeakyRelu(view[6](X[2,3] + W[2,3] + Y[3]), alpha 0.5)
 * inputs "X" (NCHW-less 2-D: ND) and "Y", output "Z"; W = 1..6 is a
 * weight; two workspace tensors (128 bytes). Op ids are the operator
 * library's (docs/ops.md): Add 0x0101, LeakyRelu 0x0202.
 */
#ifndef VASCEND_TESTS_ACL_TEST_MDL_MODEL_H
#define VASCEND_TESTS_ACL_TEST_MDL_MODEL_H

#include <stdlib.h>
#include <string.h>

#include "om.h"

#define MDL_OP_ADD		0x0101u
#define MDL_OP_LEAKY_RELU	0x0202u
#define MDL_WORKSPACE		128u

static inline struct om_tensor mdl_tensor(struct om_builder *b, const char *name, uint32_t ndim,
					  const int64_t *dims, uint32_t place, uint32_t index,
					  uint64_t offset)
{
	struct om_tensor t;
	int64_t n = 1;

	memset(&t, 0, sizeof(t));
	t.name_off = om_b_string(b, name);
	t.dtype = 0;	/* float */
	t.format = 2;	/* ND */
	t.ndim = ndim;
	for (uint32_t i = 0; i < ndim; i++) {
		t.dims[i] = dims[i];
		n *= dims[i];
	}
	t.size = (uint64_t)n * 4;
	t.placement = place;
	t.index = index;
	t.offset = offset;
	t.base = OM_NO_TENSOR;
	return t;
}

static inline void mdl_io(struct om_builder *b, const struct om_tensor *t, uint32_t ti, bool out)
{
	struct om_io io;

	memset(&io, 0, sizeof(io));
	io.name_off = t->name_off;
	io.dtype = t->dtype;
	io.format = t->format;
	io.ndim = t->ndim;
	memcpy(io.dims, t->dims, sizeof(io.dims));
	io.size = t->size;
	io.tensor = ti;
	if (out)
		om_b_output(b, &io);
	else
		om_b_input(b, &io);
}

/* The model into *@buf (malloc'd, 64-aligned), *@len; 0 or -1. @op2: the second op's id. */
static inline int mdl_build_ops(void **buf, size_t *len, uint32_t op2)
{
	struct om_builder *b = om_builder_new();
	const int64_t d23[2] = { 2, 3 }, d3[1] = { 3 }, d6[1] = { 6 };
	const float w[6] = { 1, 2, 3, 4, 5, 6 };
	const float alpha = 0.5f;
	struct om_b_attr leaky = { "alpha", OM_ATTR_FLOAT, 1, &alpha };
	uint32_t X, Y, W, T, U, V, Z, in[2], out[1];
	struct om_tensor t;
	uint64_t woff;
	int rc;

	if (!b)
		return -1;
	om_b_set_name(b, "mdl_test");
	om_b_set_soc(b, "Ascend910B3");
	t = mdl_tensor(b, "X", 2, d23, OM_PLACE_INPUT, 0, 0);
	X = om_b_tensor(b, &t);
	mdl_io(b, &t, X, false);
	t = mdl_tensor(b, "Y", 1, d3, OM_PLACE_INPUT, 1, 0);
	Y = om_b_tensor(b, &t);
	mdl_io(b, &t, Y, false);
	t = mdl_tensor(b, "Z", 1, d6, OM_PLACE_OUTPUT, 0, 0);
	Z = om_b_tensor(b, &t);
	mdl_io(b, &t, Z, true);
	om_b_weights(b, w, sizeof(w), &woff);
	t = mdl_tensor(b, "W", 2, d23, OM_PLACE_WEIGHT, 0, woff);
	W = om_b_tensor(b, &t);
	t = mdl_tensor(b, "T", 2, d23, OM_PLACE_WORKSPACE, 0, 0);
	T = om_b_tensor(b, &t);
	t = mdl_tensor(b, "U", 2, d23, OM_PLACE_WORKSPACE, 0, 64);
	U = om_b_tensor(b, &t);
	t = mdl_tensor(b, "V", 1, d6, OM_PLACE_WORKSPACE, 0, 64);
	t.base = U;
	V = om_b_tensor(b, &t);
	om_b_set_workspace(b, MDL_WORKSPACE);
	in[0] = X;
	in[1] = W;
	out[0] = T;
	om_b_task(b, MDL_OP_ADD, "add1", in, 2, out, 1, NULL, 0);
	in[0] = T;
	in[1] = Y;
	out[0] = U;
	om_b_task(b, MDL_OP_ADD, "add2", in, 2, out, 1, NULL, 0);
	in[0] = V;
	out[0] = Z;
	om_b_task(b, op2, "leaky", in, 1, out, 1, &leaky, 1);
	rc = om_b_finish(b, buf, len);
	om_builder_free(b);
	return rc;
}

static inline int mdl_build(void **buf, size_t *len)
{
	return mdl_build_ops(buf, len, MDL_OP_LEAKY_RELU);
}

/* What the model computes, on the host. */
static inline void mdl_reference(const float x[6], const float y[3], float z[6])
{
	for (int i = 0; i < 6; i++) {
		float v = x[i] + (float)(i + 1) + y[i % 3];

		z[i] = v < 0 ? 0.5f * v : v;
	}
}

#endif /* VASCEND_TESTS_ACL_TEST_MDL_MODEL_H */
