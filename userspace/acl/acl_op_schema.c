// SPDX-License-Identifier: MIT
/*
 * What the runtime knows about each CANN op type the card's library
 * offers (docs/ops.md): the name in the card's op table, the operand counts
 * CANN's op takes, and how CANN's attribute conventions become the
 * library's where they differ. The library follows ONNX and takes most
 * CANN spellings itself; what is translated here is what CANN *means*
 * differently:
 *  - attribute defaults that differ (Conv2D/pool/BatchNorm data_format
 *    NHWC, LeakyRelu negative_slope 0, HardSigmoid alpha 1/6, Gelu's tanh
 *    form, reduce keep_dims false, LayerNorm axis 0 and epsilon 1e-7,
 *    BatchNorm epsilon 1e-4, PadV3 paddings_contiguous true): set
 *    explicitly when the program did not set them;
 *  - 4-element pads (top, bottom, left, right) of Conv2D, Conv2DTranspose,
 *    Deconvolution, MaxPoolV3 and AvgPoolV2 -> all begins then all ends;
 *    Conv3D's 6 likewise;
 *  - MaxPoolV3/AvgPoolV2 padding_mode, global_pooling, exclusive; AvgPool's
 *    exclusive -> count_include_pad;
 *  - Conv2DTranspose's leading input_size operand (the output's shape says
 *    it) is not passed; its 4-element output_padding keeps the spatial ones;
 *  - attributes CANN has and the library does not, at their neutral
 *    values, are dropped; at other values the call fails with
 *    ACL_ERROR_OP_ATTR_NOT_MATCH naming them.
 * Operand-level work that needs more than one card task (LayerNorm's
 * variance output, BatchNorm's copies of mean and variance) is in
 * acl_op_exec.c.
 */
#include <string.h>

#include "acl_error.h"
#include "acl_op_internal.h"

void *acl_op_scratch(struct acl_op_launch *l, size_t n)
{
	size_t at = (l->scratch_used + 7) & ~(size_t)7;

	if (at + n > sizeof(l->scratch))
		return NULL;
	l->scratch_used = at + n;
	return l->scratch + at;
}

/* ---- attribute list helpers ---- */

static struct acl_op_attr *la_find(struct acl_op_launch *l, const char *name)
{
	for (uint32_t i = 0; i < l->nattrs; i++)
		if (!strcmp(l->attrs[i].name, name))
			return &l->attrs[i];
	return NULL;
}

static void la_remove(struct acl_op_launch *l, const char *name)
{
	struct acl_op_attr *a = la_find(l, name);

	if (a) {
		*a = l->attrs[--l->nattrs];
	}
}

static aclError la_add(const char *api, struct acl_op_launch *l, const char *name, uint32_t type,
		       uint32_t count, const void *data)
{
	struct acl_op_attr *a = la_find(l, name);

	if (!a) {
		if (l->nattrs == ACL_OP_MAX_ATTRS)
			return acl_fail(ACL_ERROR_OP_ATTR_NOT_MATCH, api,
					"%s: more than %d attributes", l->name, ACL_OP_MAX_ATTRS);
		a = &l->attrs[l->nattrs++];
	}
	a->name = name;
	a->type = type;
	a->count = count;
	a->data = data;
	return ACL_SUCCESS;
}

static aclError la_set_int(const char *api, struct acl_op_launch *l, const char *name, int64_t v)
{
	int64_t *p = acl_op_scratch(l, sizeof(v));

	if (!p)
		return acl_fail(ACL_ERROR_INTERNAL_ERROR, api, "%s: attribute scratch full", l->name);
	*p = v;
	return la_add(api, l, name, VASCEND_ATTR_INT, 1, p);
}

static aclError la_set_float(const char *api, struct acl_op_launch *l, const char *name, float v)
{
	float *p = acl_op_scratch(l, sizeof(v));

	if (!p)
		return acl_fail(ACL_ERROR_INTERNAL_ERROR, api, "%s: attribute scratch full", l->name);
	*p = v;
	return la_add(api, l, name, VASCEND_ATTR_FLOAT, 1, p);
}

static aclError la_set_string(const char *api, struct acl_op_launch *l, const char *name, const char *v)
{
	return la_add(api, l, name, VASCEND_ATTR_STRING, (uint32_t)strlen(v), v);
}

static aclError la_set_ints(const char *api, struct acl_op_launch *l, const char *name,
			    const int64_t *v, uint32_t n)
{
	int64_t *p = acl_op_scratch(l, n * sizeof(*v));

	if (!p)
		return acl_fail(ACL_ERROR_INTERNAL_ERROR, api, "%s: attribute scratch full", l->name);
	memcpy(p, v, n * sizeof(*v));
	return la_add(api, l, name, VASCEND_ATTR_INT, n, p);
}

/* The attribute as one number (int, bool or float); false when absent or a list. */
static bool la_number(const struct acl_op_attr *a, double *v)
{
	if (!a || a->count != 1)
		return false;
	switch (a->type) {
	case VASCEND_ATTR_INT:
		*v = (double)*(const int64_t *)a->data;
		return true;
	case VASCEND_ATTR_BOOL:
		*v = *(const uint8_t *)a->data;
		return true;
	case VASCEND_ATTR_FLOAT:
		*v = *(const float *)a->data;
		return true;
	default:
		return false;
	}
}

/* The attribute as a string (copied, NUL-terminated); false when absent or not a string. */
static bool la_string(const struct acl_op_attr *a, char *buf, size_t len)
{
	if (!a || a->type != VASCEND_ATTR_STRING || a->count >= len)
		return false;
	memcpy(buf, a->data, a->count);
	buf[a->count] = 0;
	return true;
}

/*
 * Drop CANN-only attribute @name when it holds @neutral (or is absent);
 * any other value fails the call: the library cannot honour it.
 */
static aclError drop_neutral(const char *api, struct acl_op_launch *l, const char *name, double neutral)
{
	struct acl_op_attr *a = la_find(l, name);
	double v;

	if (!a)
		return ACL_SUCCESS;
	if (!la_number(a, &v) || v != neutral)
		return acl_fail(ACL_ERROR_OP_ATTR_NOT_MATCH, api,
				"%s: attribute '%s' is only supported at %g (vascend's library has no "
				"such option)", l->name, name, neutral);
	la_remove(l, name);
	return ACL_SUCCESS;
}

static aclError default_int(const char *api, struct acl_op_launch *l, const char *name, int64_t v)
{
	return la_find(l, name) ? ACL_SUCCESS : la_set_int(api, l, name, v);
}

static aclError default_float(const char *api, struct acl_op_launch *l, const char *name, float v)
{
	return la_find(l, name) ? ACL_SUCCESS : la_set_float(api, l, name, v);
}

/*
 * CANN's data_format default @def applies when the program set none; a
 * tensor format of NCHW or NHWC on input 0 says the same more precisely,
 * so only ND (and other) inputs get @def.
 */
static aclError default_layout(const char *api, struct acl_op_launch *l, const char *def)
{
	if (la_find(l, "data_format") || !l->nin)
		return ACL_SUCCESS;
	switch (l->in[0].format) {
	case ACL_FORMAT_NCHW:
		return la_set_string(api, l, "data_format", "NCHW");
	case ACL_FORMAT_NHWC:
		return la_set_string(api, l, "data_format", "NHWC");
	case ACL_FORMAT_NCDHW:
		return la_set_string(api, l, "data_format", "NCDHW");
	case ACL_FORMAT_NDHWC:
		return la_set_string(api, l, "data_format", "NDHWC");
	default:
		return la_set_string(api, l, "data_format", def);
	}
}

static bool layout_nhwc(struct acl_op_launch *l)
{
	char fmt[16];

	if (la_string(la_find(l, "data_format"), fmt, sizeof(fmt)))
		return !strcmp(fmt, "NHWC") || !strcmp(fmt, "NDHWC") || !strcmp(fmt, "NWC");
	return l->nin && l->in[0].format == ACL_FORMAT_NHWC;
}

/* CANN's pads: pairs per spatial dim (t,b,l,r; 3-D f,b,t,b,l,r) -> begins then ends. */
static aclError cann_pads(const char *api, struct acl_op_launch *l)
{
	struct acl_op_attr *a = la_find(l, "pads");
	int64_t v[6], *p;
	uint32_t k;

	if (!a || a->type != VASCEND_ATTR_INT || (a->count != 4 && a->count != 6))
		return ACL_SUCCESS;
	k = a->count / 2;
	p = acl_op_scratch(l, a->count * sizeof(*p));
	if (!p)
		return acl_fail(ACL_ERROR_INTERNAL_ERROR, api, "%s: attribute scratch full", l->name);
	memcpy(v, a->data, a->count * sizeof(*v));
	for (uint32_t i = 0; i < k; i++) {
		p[i] = v[2 * i];
		p[k + i] = v[2 * i + 1];
	}
	a->data = p;
	return ACL_SUCCESS;
}

/* ---- per-op fixes ---- */

static aclError fix_conv(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
			 struct acl_op_launch *l)
{
	(void)attr;
	/* the library takes the filter as [out, in/group, spatial...] only */
	if (l->nin > 1 && l->in[1].format != ACL_FORMAT_NCHW && l->in[1].format != ACL_FORMAT_ND &&
	    l->in[1].format != ACL_FORMAT_NCDHW && l->in[1].format != ACL_FORMAT_NCL)
		return acl_fail(ACL_ERROR_OP_INPUT_NOT_MATCH, api,
				"%s: input 1 (filter): format %s not supported; vascend takes the "
				"filter as NCHW ([out, in/groups, h, w])", l->name,
				acl_format_name((int)l->in[1].format));
	/* CANN's defaults: NHWC, except Deconvolution (Caffe's) NCHW and Conv3D NDHWC */
	if (!strcmp(s->cann, "Deconvolution"))
		return default_layout(api, l, "NCHW");
	return default_layout(api, l, strcmp(s->cann, "Conv3D") ? "NHWC" : "NDHWC");
}

static aclError fix_conv_transpose(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
				   struct acl_op_launch *l)
{
	struct acl_op_attr *op;
	aclError rc = fix_conv(api, s, attr, l);
	uint32_t k;

	if (rc)
		return rc;
	op = la_find(l, "output_padding");
	k = l->nin ? l->in[0].ndim - 2 : 0;
	if (op && op->type == VASCEND_ATTR_INT && op->count == k + 2) {
		const int64_t *v = op->data;
		int64_t sp[3] = { 0 };
		bool zero = true;

		for (uint32_t i = 0; i < k && i < 3; i++) {
			sp[i] = v[layout_nhwc(l) ? 1 + i : 2 + i];
			zero = zero && !sp[i];
		}
		if (zero)
			la_remove(l, "output_padding");
		else
			return la_set_ints(api, l, "output_padding", sp, k);
	}
	return ACL_SUCCESS;
}

/* Pool attributes of CANN's V2/V3 and TF-style pools. */
static aclError fix_pool(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
			 struct acl_op_launch *l)
{
	/* TF's MaxPool/AvgPool default to NHWC, the V2/V3 forms to NCHW */
	const char *def = s->flags & ACL_OPF_POOL_PADS ? "NCHW" : "NHWC";
	struct acl_op_attr *a;
	char mode[16];
	double v;
	aclError rc;

	(void)attr;
	rc = default_layout(api, l, def);
	if (rc)
		return rc;
	a = la_find(l, "padding_mode");
	if (a) {
		if (!la_string(a, mode, sizeof(mode)))
			return acl_fail(ACL_ERROR_OP_ATTR_NOT_MATCH, api,
					"%s: attribute 'padding_mode' must be a string", l->name);
		la_remove(l, "padding_mode");
		if (!strcmp(mode, "SAME") || !strcmp(mode, "VALID")) {
			la_remove(l, "pads");
			rc = la_set_string(api, l, "auto_pad", !strcmp(mode, "SAME") ? "SAME_UPPER" : "VALID");
			if (rc)
				return rc;
		} else if (strcmp(mode, "CALCULATED") && strcmp(mode, "CALCULATE")) {
			return acl_fail(ACL_ERROR_OP_ATTR_NOT_MATCH, api,
					"%s: attribute 'padding_mode' '%s': expected CALCULATED, SAME or "
					"VALID", l->name, mode);
		}
	}
	a = la_find(l, "global_pooling");
	if (a) {
		if (!la_number(a, &v))
			return acl_fail(ACL_ERROR_OP_ATTR_NOT_MATCH, api,
					"%s: attribute 'global_pooling' must be a bool", l->name);
		la_remove(l, "global_pooling");
		if (v != 0 && l->nin && l->in[0].ndim >= 3) {
			/* the window is the whole plane: kernel = spatial dims, no pads */
			int64_t ks[3];
			uint32_t k = l->in[0].ndim - 2;
			bool nhwc = layout_nhwc(l);

			for (uint32_t i = 0; i < k && i < 3; i++)
				ks[i] = l->in[0].dims[(nhwc ? 1 : 2) + i];
			la_remove(l, "ksize");
			la_remove(l, "pads");
			la_remove(l, "auto_pad");
			rc = la_set_ints(api, l, "kernel_shape", ks, k);
			if (rc)
				return rc;
		}
	}
	a = la_find(l, "exclusive");
	if (a) {
		if (!la_number(a, &v))
			return acl_fail(ACL_ERROR_OP_ATTR_NOT_MATCH, api,
					"%s: attribute 'exclusive' must be a bool", l->name);
		la_remove(l, "exclusive");
		rc = la_set_int(api, l, "count_include_pad", v == 0);
		if (rc)
			return rc;
	}
	rc = drop_neutral(api, l, "divisor_override", 0);
	if (!rc)
		rc = drop_neutral(api, l, "offset_x", 0);
	return rc;
}

static aclError fix_matmul(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
			   struct acl_op_launch *l)
{
	(void)s;
	(void)attr;
	return drop_neutral(api, l, "offset_x", 0);
}

static aclError fix_leaky_relu(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
			       struct acl_op_launch *l)
{
	(void)s;
	(void)attr;
	if (la_find(l, "alpha") || la_find(l, "negative_slope"))
		return ACL_SUCCESS;
	return la_set_float(api, l, "negative_slope", 0.0f);	/* CANN's default */
}

static aclError fix_hard_sigmoid(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
				 struct acl_op_launch *l)
{
	(void)s;
	(void)attr;
	return default_float(api, l, "alpha", 1.0f / 6.0f);
}

static aclError fix_gelu(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
			 struct acl_op_launch *l)
{
	(void)s;
	(void)attr;
	/* CANN's Gelu is the tanh approximation */
	return la_find(l, "approximate") ? ACL_SUCCESS : la_set_string(api, l, "approximate", "tanh");
}

/* Exp and Log: y = base-log/exp of (scale * x + shift); only the natural form exists. */
static aclError fix_exp_log(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
			    struct acl_op_launch *l)
{
	aclError rc;

	(void)s;
	(void)attr;
	rc = drop_neutral(api, l, "base", -1.0);
	if (!rc)
		rc = drop_neutral(api, l, "scale", 1.0);
	if (!rc)
		rc = drop_neutral(api, l, "shift", 0.0);
	return rc;
}

static aclError fix_softmax(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
			    struct acl_op_launch *l)
{
	(void)s;
	(void)attr;
	return drop_neutral(api, l, "half_to_float", 0);
}

static aclError fix_reduce(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
			   struct acl_op_launch *l)
{
	(void)s;
	(void)attr;
	if (la_find(l, "keepdims"))
		return ACL_SUCCESS;
	return default_int(api, l, "keep_dims", 0);
}

static aclError fix_batchnorm(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
			      struct acl_op_launch *l)
{
	struct acl_op_attr *a = la_find(l, "is_training");
	double v = 1;	/* CANN's default */
	aclError rc;

	(void)attr;
	if (!strcmp(s->cann, "BatchNorm")) {
		if (a && !la_number(a, &v))
			return acl_fail(ACL_ERROR_OP_ATTR_NOT_MATCH, api,
					"BatchNorm: attribute 'is_training' must be a bool");
		if (v != 0)
			return acl_fail(ACL_ERROR_OP_ATTR_NOT_MATCH, api,
					"BatchNorm: is_training is %s: vascend's library runs "
					"inference only; set is_training to false (or use BNInfer)",
					a ? "true" : "true by CANN's default");
		rc = default_layout(api, l, "NHWC");
		if (rc)
			return rc;
	}
	rc = drop_neutral(api, l, "exponential_avg_factor", 1.0);
	if (!rc)
		rc = default_float(api, l, "epsilon", 1e-4f);
	return rc;
}

static aclError fix_layernorm(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
			      struct acl_op_launch *l)
{
	aclError rc;

	(void)s;
	(void)attr;
	rc = la_find(l, "axis") ? ACL_SUCCESS : default_int(api, l, "begin_norm_axis", 0);
	if (!rc)
		rc = default_float(api, l, "epsilon", 1e-7f);
	return rc;
}

static aclError fix_instancenorm(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
				 struct acl_op_launch *l)
{
	char fmt[16];

	(void)s;
	(void)attr;
	if (la_string(la_find(l, "data_format"), fmt, sizeof(fmt))) {
		if (strcmp(fmt, "NCHW") && strcmp(fmt, "NCDHW") && strcmp(fmt, "ND") && strcmp(fmt, "NCL"))
			return acl_fail(ACL_ERROR_OP_ATTR_NOT_MATCH, api,
					"InstanceNorm: data_format '%s' not supported: channels must "
					"follow the batch dim (NCHW)", fmt);
		la_remove(l, "data_format");
	}
	return default_float(api, l, "epsilon", 1e-6f);
}

static aclError fix_strided_slice(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
				  struct acl_op_launch *l)
{
	static const char *const masks[] = { "begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
					     "shrink_axis_mask" };
	aclError rc = ACL_SUCCESS;

	(void)s;
	(void)attr;
	for (size_t i = 0; !rc && i < sizeof(masks) / sizeof(masks[0]); i++)
		rc = drop_neutral(api, l, masks[i], 0);
	return rc;
}

static aclError fix_pad(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
			struct acl_op_launch *l)
{
	(void)attr;
	/* PadV2's paddings is [rank, 2]: begin, end pairs, the contiguous order */
	if (!strcmp(s->cann, "PadV2"))
		return la_set_int(api, l, "paddings_contiguous", 1);
	return default_int(api, l, "paddings_contiguous", 1);
}

static aclError fix_gather(const char *api, const struct acl_op_schema *s, const aclopAttr *attr,
			   struct acl_op_launch *l)
{
	aclError rc;

	(void)s;
	(void)attr;
	la_remove(l, "validate_indices");	/* indices are always checked */
	rc = drop_neutral(api, l, "batch_dims", 0);
	if (!rc)
		rc = drop_neutral(api, l, "is_preprocessed", 0);
	if (!rc)
		rc = drop_neutral(api, l, "negative_index_support", 0);
	return rc;
}

/* ---- the table ---- */

#define OP(c, lib_, imin, imax, omin, omax, lmax, fl, fx) \
	{ .cann = (c), .lib = (lib_), .min_in = (imin), .max_in = (imax), .min_out = (omin), \
	  .max_out = (omax), .lib_max_in = (lmax), .flags = (fl), .fix = (fx) }
#define BIN(c, lib_) OP(c, lib_, 2, 2, 1, 1, 2, 0, NULL)
#define UN(c, fx) OP(c, "", 1, 1, 1, 1, 1, 0, fx)

static const struct acl_op_schema schemas[] = {
	/* elementwise */
	BIN("Add", ""), BIN("AddV2", "Add"), BIN("Sub", ""), BIN("Mul", ""),
	BIN("RealDiv", ""), BIN("Div", "RealDiv"), BIN("Pow", ""),
	BIN("Maximum", ""), BIN("Minimum", ""),
	BIN("Equal", ""), BIN("Greater", ""), BIN("Less", ""),
	OP("Select", "", 3, 3, 1, 1, 3, 0, NULL),
	OP("SelectV2", "Select", 3, 3, 1, 1, 3, 0, NULL),
	/* unary */
	UN("Relu", NULL), UN("LeakyRelu", fix_leaky_relu), UN("Sigmoid", NULL),
	UN("HardSigmoid", fix_hard_sigmoid), UN("HardSwish", NULL), UN("Tanh", NULL),
	UN("Gelu", fix_gelu), UN("Erf", NULL), UN("Exp", fix_exp_log), UN("Log", fix_exp_log),
	UN("Sqrt", NULL), UN("Reciprocal", NULL), UN("Abs", NULL), UN("Neg", NULL),
	OP("ClipByValue", "", 3, 3, 1, 1, 3, 0, NULL),
	/* matmul: x1, x2, bias[, offset_w] */
	OP("MatMul", "", 2, 3, 1, 1, 3, 0, fix_matmul),
	OP("MatMulV2", "MatMul", 2, 4, 1, 1, 3, 0, fix_matmul),
	OP("BatchMatMul", "", 2, 3, 1, 1, 3, 0, fix_matmul),
	OP("BatchMatMulV2", "BatchMatMul", 2, 4, 1, 1, 3, 0, fix_matmul),
	OP("GEMM", "", 5, 5, 1, 1, 5, 0, NULL),
	/* convolution: x, filter, bias[, offset_w] */
	OP("Conv2D", "", 2, 4, 1, 1, 3, ACL_OPF_CONV_PADS, fix_conv),
	OP("Conv3D", "Conv2D", 2, 4, 1, 1, 3, ACL_OPF_CONV_PADS, fix_conv),
	/* input_size, x, filter[, bias[, offset_w]] */
	OP("Conv2DTranspose", "", 3, 5, 1, 1, 3, ACL_OPF_CONV_PADS | ACL_OPF_DROP_IN0, fix_conv_transpose),
	OP("Deconvolution", "Conv2DTranspose", 2, 4, 1, 1, 3, ACL_OPF_CONV_PADS, fix_conv_transpose),
	/* pooling */
	OP("MaxPool", "", 1, 1, 1, 1, 1, 0, fix_pool),
	OP("MaxPoolV3", "MaxPool", 1, 1, 1, 1, 1, ACL_OPF_POOL_PADS, fix_pool),
	OP("AvgPool", "", 1, 1, 1, 1, 1, 0, fix_pool),
	OP("AvgPoolV2", "AvgPool", 1, 1, 1, 1, 1, ACL_OPF_POOL_PADS, fix_pool),
	OP("GlobalAveragePool", "", 1, 1, 1, 1, 1, 0, NULL),
	OP("GlobalMaxPool", "", 1, 1, 1, 1, 1, 0, NULL),
	/* softmax */
	OP("SoftmaxV2", "", 1, 1, 1, 1, 1, 0, fix_softmax),
	OP("Softmax", "SoftmaxV2", 1, 1, 1, 1, 1, 0, fix_softmax),
	OP("LogSoftmaxV2", "", 1, 1, 1, 1, 1, 0, fix_softmax),
	OP("LogSoftmax", "LogSoftmaxV2", 1, 1, 1, 1, 1, 0, fix_softmax),
	/* normalisation: BatchNorm's outputs 1..5 are copies of mean and variance */
	OP("BatchNorm", "", 5, 5, 1, 6, 5, 0, fix_batchnorm),
	OP("BNInfer", "BatchNorm", 5, 5, 1, 1, 5, 0, fix_batchnorm),
	/* LayerNorm's variance output is derived by two more launches */
	OP("LayerNorm", "", 3, 3, 1, 3, 3, 0, fix_layernorm),
	OP("InstanceNorm", "", 3, 3, 1, 1, 3, 0, fix_instancenorm),
	/* reductions: x, axes / D forms: axes attribute */
	OP("ReduceSum", "", 2, 2, 1, 1, 2, 0, fix_reduce),
	OP("ReduceSumD", "ReduceSum", 1, 1, 1, 1, 1, 0, fix_reduce),
	OP("ReduceMean", "", 2, 2, 1, 1, 2, 0, fix_reduce),
	OP("ReduceMeanD", "ReduceMean", 1, 1, 1, 1, 1, 0, fix_reduce),
	OP("ReduceMax", "", 2, 2, 1, 1, 2, 0, fix_reduce),
	OP("ReduceMaxD", "ReduceMax", 1, 1, 1, 1, 1, 0, fix_reduce),
	OP("ReduceMin", "", 2, 2, 1, 1, 2, 0, fix_reduce),
	OP("ReduceMinD", "ReduceMin", 1, 1, 1, 1, 1, 0, fix_reduce),
	/* cast */
	OP("Cast", "", 1, 1, 1, 1, 1, 0, NULL),
	/* data movement */
	OP("Transpose", "", 2, 2, 1, 1, 2, 0, NULL),
	OP("TransposeD", "Transpose", 1, 1, 1, 1, 1, 0, NULL),
	OP("ConcatD", "", 1, VASCEND_OP_MAX_TENSORS - 1, 1, 1, VASCEND_OP_MAX_TENSORS - 1, 0, NULL),
	OP("ConcatV2D", "ConcatD", 1, VASCEND_OP_MAX_TENSORS - 1, 1, 1, VASCEND_OP_MAX_TENSORS - 1, 0, NULL),
	OP("SplitD", "", 1, 1, 1, VASCEND_OP_MAX_TENSORS - 1, 1, 0, NULL),
	OP("StridedSliceV2", "", 3, 5, 1, 1, 5, 0, fix_strided_slice),
	OP("PadV3", "", 2, 3, 1, 1, 3, 0, fix_pad),
	OP("PadV2", "PadV3", 3, 3, 1, 1, 3, 0, fix_pad),
	OP("Resize", "", 1, 4, 1, 1, 4, 0, NULL),
	OP("GatherV2", "", 3, 3, 1, 1, 3, 0, fix_gather),
	OP("Gather", "GatherV2", 2, 2, 1, 1, 2, 0, fix_gather),
	OP("Expand", "", 2, 2, 1, 1, 2, 0, NULL),
	OP("BroadcastTo", "Expand", 2, 2, 1, 1, 2, 0, NULL),
	OP("Tile", "", 2, 2, 1, 1, 2, 0, NULL),
};

const struct acl_op_schema *acl_op_schema_find(const char *name)
{
	for (size_t i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++)
		if (!strcmp(schemas[i].cann, name))
			return &schemas[i];
	return NULL;
}

size_t acl_op_schema_count(void)
{
	return sizeof(schemas) / sizeof(schemas[0]);
}

const struct acl_op_schema *acl_op_schema_at(size_t i)
{
	return i < acl_op_schema_count() ? &schemas[i] : NULL;
}

/* ---- encoding AscendCL attributes for the card ---- */

static aclError encode(const char *api, const char *op_type, const struct acl_attr *a,
		       struct acl_op_launch *l)
{
	uint32_t type;

	switch (a->kind) {
	case ACL_ATTR_BOOL:
	case ACL_ATTR_LIST_BOOL:
		type = VASCEND_ATTR_BOOL;
		break;
	case ACL_ATTR_INT:
	case ACL_ATTR_DTYPE:
	case ACL_ATTR_LIST_INT:
	case ACL_ATTR_LIST_DTYPE:
		type = VASCEND_ATTR_INT;
		break;
	case ACL_ATTR_FLOAT:
	case ACL_ATTR_LIST_FLOAT:
		type = VASCEND_ATTR_FLOAT;
		break;
	case ACL_ATTR_STRING:
		type = VASCEND_ATTR_STRING;
		break;
	default:
		return acl_fail(ACL_ERROR_OP_ATTR_NOT_MATCH, api,
				"%s: attribute '%s' is a list of %s: the card's op descriptor has no "
				"such type and no op of its library takes one", op_type, a->name,
				a->kind == ACL_ATTR_LIST_STRING ? "strings" : "int lists");
	}
	if (strlen(a->name) >= VASCEND_OP_ATTR_NAME_LEN)
		return acl_fail(ACL_ERROR_OP_ATTR_NOT_MATCH, api,
				"%s: attribute name '%s' is longer than %d characters", op_type, a->name,
				VASCEND_OP_ATTR_NAME_LEN - 1);
	if (!a->name[0])
		return acl_fail(ACL_ERROR_OP_ATTR_NOT_MATCH, api, "%s: attribute with an empty name",
				op_type);
	return la_add(api, l, a->name, type, a->count, a->data);
}

aclError acl_op_translate_attrs(const char *api, const char *op_type, const struct acl_op_schema *s,
				const aclopAttr *attr, struct acl_op_launch *l)
{
	aclError rc;

	l->nattrs = 0;
	for (uint32_t i = 0; attr && i < attr->count; i++) {
		rc = encode(api, op_type, &attr->items[i], l);
		if (rc)
			return rc;
	}
	if (!s)
		return ACL_SUCCESS;
	if (s->flags & (ACL_OPF_CONV_PADS | ACL_OPF_POOL_PADS)) {
		rc = cann_pads(api, l);
		if (rc)
			return rc;
	}
	return s->fix ? s->fix(api, s, attr, l) : ACL_SUCCESS;
}
