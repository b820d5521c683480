// SPDX-License-Identifier: MIT
/*
 * Attributes (every aclopSetAttr* type and its misuse), how they are
 * encoded for the card, the CANN -> library translations of the schema,
 * the op descriptor's byte layout (include/uapi/vascend_op.h), and how a
 * failed launch maps to ACL_ERROR_OP_* with a message naming the operand.
 * Internal functions are called directly; no device is involved.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acl/acl.h"
#include "acl/acl_op.h"
#include "acl_op_internal.h"
#include "acl_test.h"
#include "vascend_queue_hw.h"

static const struct acl_attr *find(const aclopAttr *a, const char *name)
{
	return acl_attr_find(a, name);
}

static void test_setters(void)
{
	aclopAttr *a = aclopCreateAttr();
	int64_t li[] = { 1, -2, 3 }, l0[] = { 7 }, l1[] = { 8, 9 };
	const int64_t *ll[] = { l0, l1 };
	int lln[] = { 1, 2 };
	float lf[] = { 0.5f, -1.5f };
	uint8_t lb[] = { 0, 2, 1 };
	const char *ls[] = { "ab", "", "cde" };
	aclDataType ldt[] = { ACL_FLOAT16, ACL_INT8 };
	const struct acl_attr *it;

	TAP_CHECK(a, "aclopCreateAttr");
	CHECK_RET(aclopSetAttrBool(a, "b", 5), ACL_SUCCESS);
	it = find(a, "b");
	TAP_CHECK(it && it->kind == ACL_ATTR_BOOL && it->count == 1 && *(uint8_t *)it->data == 1,
		  "aclopSetAttrBool: any non-zero value is true (stored 1)");
	CHECK_RET(aclopSetAttrInt(a, "i", -42), ACL_SUCCESS);
	it = find(a, "i");
	TAP_CHECK(it && it->kind == ACL_ATTR_INT && *(int64_t *)it->data == -42, "aclopSetAttrInt");
	CHECK_RET(aclopSetAttrFloat(a, "f", 0.25f), ACL_SUCCESS);
	it = find(a, "f");
	TAP_CHECK(it && it->kind == ACL_ATTR_FLOAT && *(float *)it->data == 0.25f, "aclopSetAttrFloat");
	CHECK_RET(aclopSetAttrString(a, "s", "NCHW"), ACL_SUCCESS);
	it = find(a, "s");
	TAP_CHECK(it && it->kind == ACL_ATTR_STRING && it->count == 4 && !memcmp(it->data, "NCHW", 4),
		  "aclopSetAttrString: 4 bytes, no NUL counted");
	CHECK_RET(aclopSetAttrDataType(a, "dt", ACL_FLOAT16), ACL_SUCCESS);
	it = find(a, "dt");
	TAP_CHECK(it && it->kind == ACL_ATTR_DTYPE && *(int64_t *)it->data == ACL_FLOAT16,
		  "aclopSetAttrDataType");
	CHECK_RET(aclopSetAttrListInt(a, "li", 3, li), ACL_SUCCESS);
	it = find(a, "li");
	TAP_CHECK(it && it->count == 3 && ((int64_t *)it->data)[1] == -2, "aclopSetAttrListInt");
	CHECK_RET(aclopSetAttrListFloat(a, "lf", 2, lf), ACL_SUCCESS);
	it = find(a, "lf");
	TAP_CHECK(it && it->count == 2 && ((float *)it->data)[1] == -1.5f, "aclopSetAttrListFloat");
	CHECK_RET(aclopSetAttrListBool(a, "lb", 3, lb), ACL_SUCCESS);
	it = find(a, "lb");
	TAP_CHECK(it && it->count == 3 && ((uint8_t *)it->data)[1] == 1, "aclopSetAttrListBool: 2 -> 1");
	CHECK_RET(aclopSetAttrListString(a, "ls", 3, ls), ACL_SUCCESS);
	it = find(a, "ls");
	TAP_CHECK(it && it->kind == ACL_ATTR_LIST_STRING && it->count == 3 && it->size == 8,
		  "aclopSetAttrListString: 3 strings in 8 bytes (NULs included)");
	CHECK_RET(aclopSetAttrListDataType(a, "ldt", 2, ldt), ACL_SUCCESS);
	it = find(a, "ldt");
	TAP_CHECK(it && it->count == 2 && ((int64_t *)it->data)[1] == ACL_INT8, "aclopSetAttrListDataType");
	CHECK_RET(aclopSetAttrListListInt(a, "ll", 2, lln, ll), ACL_SUCCESS);
	it = find(a, "ll");
	TAP_CHECK(it && it->count == 2 && ((int64_t *)it->data)[0] == 1 && ((int64_t *)it->data)[4] == 9,
		  "aclopSetAttrListListInt: lengths, then values");
	CHECK_RET(aclopSetAttrListInt(a, "empty", 0, NULL), ACL_SUCCESS);
	TAP_CHECK(find(a, "empty") && find(a, "empty")->count == 0, "an empty list is fine");

	/* a name set again is replaced, with its new type */
	CHECK_RET(aclopSetAttrFloat(a, "i", 3.0f), ACL_SUCCESS);
	it = find(a, "i");
	TAP_CHECK(it && it->kind == ACL_ATTR_FLOAT && a->count == 12, "setting a name again replaces it");

	/* misuse */
	CHECK_RET_MSG(aclopSetAttrBool(NULL, "b", 1), ACL_ERROR_INVALID_PARAM, "attr is NULL");
	CHECK_RET_MSG(aclopSetAttrInt(a, NULL, 1), ACL_ERROR_INVALID_PARAM, "attrName is NULL");
	CHECK_RET(aclopSetAttrFloat(NULL, "f", 1), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclopSetAttrString(a, "s", NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclopSetAttrDataType(a, NULL, ACL_FLOAT), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclopSetAttrListInt(a, "x", -1, li), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclopSetAttrListInt(a, "x", 2, NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclopSetAttrListFloat(a, "x", 2, NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclopSetAttrListBool(a, "x", 1, NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclopSetAttrListString(a, "x", 1, NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclopSetAttrListString(a, "x", 2, (const char *[]){ "a", NULL }), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclopSetAttrListDataType(a, "x", 1, NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclopSetAttrListListInt(a, "x", 2, NULL, ll), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclopSetAttrListListInt(a, "x", 2, lln, NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclopSetAttrListListInt(a, "x", 1, (int[]){ -1 }, ll), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclopSetAttrListListInt(a, "x", -1, lln, ll), ACL_ERROR_INVALID_PARAM);
	TAP_CHECK(!find(a, "x"), "failed setters store nothing");

	aclopAttr *c = acl_attr_clone(a);
	TAP_CHECK(c && c->count == a->count && find(c, "ll") && find(c, "ll")->data != find(a, "ll")->data,
		  "a clone copies every attribute");
	aclopDestroyAttr(c);
	aclopDestroyAttr(a);
	aclopDestroyAttr(NULL);
	TAP_CHECK(1, "aclopDestroyAttr(NULL) is harmless");
}

/* An empty launch with one NCHW/ND input of @ndim dims (for translations that look at it). */
static void launch_with_input(struct acl_op_launch *l, uint32_t format, uint32_t ndim)
{
	memset(l, 0, sizeof(*l));
	l->nin = 1;
	l->nout = 1;
	l->in[0].dtype = ACL_FLOAT;
	l->in[0].format = format;
	l->in[0].ndim = ndim;
	for (uint32_t i = 0; i < ndim; i++)
		l->in[0].dims[i] = 2 + i;
}

static const struct acl_op_attr *lattr(const struct acl_op_launch *l, const char *name)
{
	for (uint32_t i = 0; i < l->nattrs; i++)
		if (!strcmp(l->attrs[i].name, name))
			return &l->attrs[i];
	return NULL;
}

static aclError translate(const char *op, aclopAttr *a, struct acl_op_launch *l)
{
	const struct acl_op_schema *s = acl_op_schema_find(op);

	l->schema = s;
	l->name = s ? acl_op_schema_lib(s) : op;
	return acl_op_translate_attrs("test", op, s, a, l);
}

static void test_encoding(void)
{
	aclopAttr *a = aclopCreateAttr();
	struct acl_op_launch *l = calloc(1, sizeof(*l));
	const struct acl_op_attr *e;
	char longname[64];

	aclopSetAttrBool(a, "b", 1);
	aclopSetAttrInt(a, "i", 7);
	aclopSetAttrFloat(a, "f", 2.5f);
	aclopSetAttrString(a, "s", "abc");
	aclopSetAttrDataType(a, "dt", ACL_BF16);
	aclopSetAttrListInt(a, "li", 2, (int64_t[]){ 4, 5 });
	aclopSetAttrListFloat(a, "lf", 3, (float[]){ 1, 2, 3 });
	aclopSetAttrListBool(a, "lb", 2, (uint8_t[]){ 1, 0 });
	aclopSetAttrListDataType(a, "ldt", 1, (aclDataType[]){ ACL_INT32 });
	launch_with_input(l, ACL_FORMAT_ND, 2);
	CHECK_RET(translate("SomeOpTheRuntimeDoesNotKnow", a, l), ACL_SUCCESS);
	TAP_CHECK(l->nattrs == 9, "an unknown op: every attribute passes (9)");
	e = lattr(l, "b");
	TAP_CHECK(e && e->type == VASCEND_ATTR_BOOL && e->count == 1, "Bool -> VASCEND_ATTR_BOOL x1");
	e = lattr(l, "i");
	TAP_CHECK(e && e->type == VASCEND_ATTR_INT && *(const int64_t *)e->data == 7, "Int -> INT");
	e = lattr(l, "f");
	TAP_CHECK(e && e->type == VASCEND_ATTR_FLOAT && *(const float *)e->data == 2.5f, "Float -> FLOAT");
	e = lattr(l, "s");
	TAP_CHECK(e && e->type == VASCEND_ATTR_STRING && e->count == 3, "String -> STRING of 3 bytes");
	e = lattr(l, "dt");
	TAP_CHECK(e && e->type == VASCEND_ATTR_INT && *(const int64_t *)e->data == 27,
		  "DataType -> INT with the aclDataType number (27)");
	e = lattr(l, "li");
	TAP_CHECK(e && e->type == VASCEND_ATTR_INT && e->count == 2, "ListInt -> INT x2");
	e = lattr(l, "lf");
	TAP_CHECK(e && e->type == VASCEND_ATTR_FLOAT && e->count == 3, "ListFloat -> FLOAT x3");
	e = lattr(l, "lb");
	TAP_CHECK(e && e->type == VASCEND_ATTR_BOOL && e->count == 2, "ListBool -> BOOL x2");
	e = lattr(l, "ldt");
	TAP_CHECK(e && e->type == VASCEND_ATTR_INT && *(const int64_t *)e->data == ACL_INT32,
		  "ListDataType -> INT x1");

	aclopSetAttrListString(a, "names", 1, (const char *[]){ "x" });
	CHECK_RET_MSG(translate("Add", a, l), ACL_ERROR_OP_ATTR_NOT_MATCH, "list of strings");
	aclopDestroyAttr(a);
	a = aclopCreateAttr();
	aclopSetAttrListListInt(a, "ll", 1, (int[]){ 1 }, (const int64_t *const[]){ (int64_t[]){ 1 } });
	CHECK_RET_MSG(translate("Add", a, l), ACL_ERROR_OP_ATTR_NOT_MATCH, "int lists");
	aclopDestroyAttr(a);
	a = aclopCreateAttr();
	memset(longname, 'n', 40);
	longname[40] = 0;
	aclopSetAttrInt(a, longname, 1);
	CHECK_RET_MSG(translate("Add", a, l), ACL_ERROR_OP_ATTR_NOT_MATCH, "longer than 39");
	aclopDestroyAttr(a);
	longname[39] = 0;
	a = aclopCreateAttr();
	aclopSetAttrInt(a, longname, 1);
	CHECK_RET(translate("Add", a, l), ACL_SUCCESS);
	aclopDestroyAttr(a);
	free(l);
}

static void test_translations(void)
{
	struct acl_op_launch *l = calloc(1, sizeof(*l));
	const struct acl_op_attr *e;
	aclopAttr *a;

	/* Conv2D: pads t,b,l,r -> t,l,b,r; data_format from the input's format */
	a = aclopCreateAttr();
	aclopSetAttrListInt(a, "pads", 4, (int64_t[]){ 1, 2, 3, 4 });
	aclopSetAttrListInt(a, "strides", 4, (int64_t[]){ 1, 1, 2, 2 });
	launch_with_input(l, ACL_FORMAT_NCHW, 4);
	l->nin = 2;
	l->in[1].format = ACL_FORMAT_NCHW;
	CHECK_RET(translate("Conv2D", a, l), ACL_SUCCESS);
	e = lattr(l, "pads");
	TAP_CHECK(e && e->count == 4 && ((const int64_t *)e->data)[0] == 1 &&
		  ((const int64_t *)e->data)[1] == 3 && ((const int64_t *)e->data)[2] == 2 &&
		  ((const int64_t *)e->data)[3] == 4, "Conv2D pads [1,2,3,4] (t,b,l,r) -> [1,3,2,4]");
	e = lattr(l, "data_format");
	TAP_CHECK(e && e->count == 4 && !memcmp(e->data, "NCHW", 4), "Conv2D: data_format NCHW from the input");
	TAP_CHECK(find(a, "pads") && ((int64_t *)find(a, "pads")->data)[1] == 2,
		  "  the program's attribute is not changed");
	l->in[1].format = ACL_FORMAT_HWCN;
	CHECK_RET_MSG(translate("Conv2D", a, l), ACL_ERROR_OP_INPUT_NOT_MATCH, "filter");
	launch_with_input(l, ACL_FORMAT_ND, 4);
	l->nin = 2;
	CHECK_RET(translate("Conv2D", a, l), ACL_SUCCESS);
	e = lattr(l, "data_format");
	TAP_CHECK(e && !memcmp(e->data, "NHWC", 4), "Conv2D on ND data: CANN's default data_format NHWC");
	aclopDestroyAttr(a);

	/* Conv3D: 6 pads f,b,t,b,l,r -> begins, ends */
	a = aclopCreateAttr();
	aclopSetAttrListInt(a, "pads", 6, (int64_t[]){ 1, 2, 3, 4, 5, 6 });
	launch_with_input(l, ACL_FORMAT_NCHW, 5);
	CHECK_RET(translate("Conv3D", a, l), ACL_SUCCESS);
	e = lattr(l, "pads");
	TAP_CHECK(e && ((const int64_t *)e->data)[1] == 3 && ((const int64_t *)e->data)[3] == 2 &&
		  ((const int64_t *)e->data)[5] == 6, "Conv3D pads -> [1,3,5,2,4,6]");
	aclopDestroyAttr(a);

	/* Conv2DTranspose: 4-element output_padding keeps the spatial entries */
	a = aclopCreateAttr();
	aclopSetAttrListInt(a, "output_padding", 4, (int64_t[]){ 0, 0, 1, 0 });
	launch_with_input(l, ACL_FORMAT_NCHW, 4);
	CHECK_RET(translate("Conv2DTranspose", a, l), ACL_SUCCESS);
	e = lattr(l, "output_padding");
	TAP_CHECK(e && e->count == 2 && ((const int64_t *)e->data)[0] == 1, "output_padding [0,0,1,0] -> [1,0]");
	aclopDestroyAttr(a);

	/* MaxPoolV3 padding_mode SAME; AvgPoolV2 exclusive; global_pooling */
	a = aclopCreateAttr();
	aclopSetAttrString(a, "padding_mode", "SAME");
	aclopSetAttrListInt(a, "pads", 4, (int64_t[]){ 0, 1, 0, 1 });
	launch_with_input(l, ACL_FORMAT_NCHW, 4);
	CHECK_RET(translate("MaxPoolV3", a, l), ACL_SUCCESS);
	e = lattr(l, "auto_pad");
	TAP_CHECK(e && e->count == 10 && !memcmp(e->data, "SAME_UPPER", 10) && !lattr(l, "pads") &&
		  !lattr(l, "padding_mode"), "MaxPoolV3 padding_mode SAME -> auto_pad SAME_UPPER, no pads");
	aclopSetAttrString(a, "padding_mode", "WRONG");
	CHECK_RET_MSG(translate("MaxPoolV3", a, l), ACL_ERROR_OP_ATTR_NOT_MATCH, "padding_mode");
	aclopDestroyAttr(a);
	a = aclopCreateAttr();
	aclopSetAttrBool(a, "exclusive", 0);
	aclopSetAttrBool(a, "global_pooling", 1);
	aclopSetAttrListInt(a, "ksize", 4, (int64_t[]){ 1, 1, 2, 2 });
	launch_with_input(l, ACL_FORMAT_NCHW, 4);	/* dims 2,3,4,5 */
	CHECK_RET(translate("AvgPoolV2", a, l), ACL_SUCCESS);
	e = lattr(l, "count_include_pad");
	TAP_CHECK(e && *(const int64_t *)e->data == 1 && !lattr(l, "exclusive"),
		  "AvgPoolV2 exclusive false -> count_include_pad 1");
	e = lattr(l, "kernel_shape");
	TAP_CHECK(e && e->count == 2 && ((const int64_t *)e->data)[0] == 4 &&
		  ((const int64_t *)e->data)[1] == 5 && !lattr(l, "ksize"),
		  "global_pooling: the kernel is the whole plane [4,5]");
	aclopSetAttrInt(a, "divisor_override", 3);
	CHECK_RET_MSG(translate("AvgPoolV2", a, l), ACL_ERROR_OP_ATTR_NOT_MATCH, "divisor_override");
	aclopDestroyAttr(a);

	/* defaults CANN has and the library does not */
	launch_with_input(l, ACL_FORMAT_ND, 2);
	CHECK_RET(translate("LeakyRelu", NULL, l), ACL_SUCCESS);
	e = lattr(l, "negative_slope");
	TAP_CHECK(e && *(const float *)e->data == 0.0f, "LeakyRelu: CANN's negative_slope 0");
	CHECK_RET(translate("HardSigmoid", NULL, l), ACL_SUCCESS);
	e = lattr(l, "alpha");
	TAP_CHECK(e && *(const float *)e->data > 0.1666f && *(const float *)e->data < 0.1667f,
		  "HardSigmoid: CANN's alpha 1/6");
	CHECK_RET(translate("Gelu", NULL, l), ACL_SUCCESS);
	e = lattr(l, "approximate");
	TAP_CHECK(e && e->count == 4 && !memcmp(e->data, "tanh", 4), "Gelu: CANN's tanh form");
	CHECK_RET(translate("ReduceSumD", NULL, l), ACL_SUCCESS);
	e = lattr(l, "keep_dims");
	TAP_CHECK(e && *(const int64_t *)e->data == 0, "ReduceSumD: keep_dims false by default");
	CHECK_RET(translate("LayerNorm", NULL, l), ACL_SUCCESS);
	TAP_CHECK(lattr(l, "begin_norm_axis") && *(const int64_t *)lattr(l, "begin_norm_axis")->data == 0 &&
		  lattr(l, "epsilon") && *(const float *)lattr(l, "epsilon")->data == 1e-7f,
		  "LayerNorm: begin_norm_axis 0, epsilon 1e-7");
	CHECK_RET(translate("PadV3", NULL, l), ACL_SUCCESS);
	e = lattr(l, "paddings_contiguous");
	TAP_CHECK(e && *(const int64_t *)e->data == 1, "PadV3: paddings_contiguous true by default");
	CHECK_RET_MSG(translate("BatchNorm", NULL, l), ACL_ERROR_OP_ATTR_NOT_MATCH, "is_training");
	a = aclopCreateAttr();
	aclopSetAttrBool(a, "is_training", 0);
	CHECK_RET(translate("BatchNorm", a, l), ACL_SUCCESS);
	e = lattr(l, "epsilon");
	TAP_CHECK(e && *(const float *)e->data == 1e-4f, "BatchNorm: CANN's epsilon 1e-4");
	aclopDestroyAttr(a);
	a = aclopCreateAttr();
	aclopSetAttrFloat(a, "base", 2.0f);
	CHECK_RET_MSG(translate("Exp", a, l), ACL_ERROR_OP_ATTR_NOT_MATCH, "'base'");
	aclopSetAttrFloat(a, "base", -1.0f);
	CHECK_RET(translate("Exp", a, l), ACL_SUCCESS);
	TAP_CHECK(!lattr(l, "base"), "Exp base -1 (natural): dropped");
	aclopDestroyAttr(a);
	a = aclopCreateAttr();
	aclopSetAttrInt(a, "offset_x", 0);
	CHECK_RET(translate("MatMulV2", a, l), ACL_SUCCESS);
	TAP_CHECK(!lattr(l, "offset_x"), "MatMulV2 offset_x 0: dropped");
	aclopSetAttrInt(a, "offset_x", 3);
	CHECK_RET_MSG(translate("MatMulV2", a, l), ACL_ERROR_OP_ATTR_NOT_MATCH, "offset_x");
	aclopDestroyAttr(a);
	a = aclopCreateAttr();
	aclopSetAttrInt(a, "shrink_axis_mask", 1);
	CHECK_RET_MSG(translate("StridedSliceV2", a, l), ACL_ERROR_OP_ATTR_NOT_MATCH, "shrink_axis_mask");
	aclopDestroyAttr(a);
	free(l);
}

static void test_schema(void)
{
	static const char *const alias[][2] = {
		{ "AddV2", "Add" }, { "Div", "RealDiv" }, { "MatMulV2", "MatMul" },
		{ "BatchMatMulV2", "BatchMatMul" }, { "Softmax", "SoftmaxV2" }, { "MaxPoolV3", "MaxPool" },
		{ "AvgPoolV2", "AvgPool" }, { "BNInfer", "BatchNorm" }, { "ReduceMeanD", "ReduceMean" },
		{ "TransposeD", "Transpose" }, { "ConcatV2D", "ConcatD" }, { "Gather", "GatherV2" },
		{ "BroadcastTo", "Expand" }, { "Deconvolution", "Conv2DTranspose" }, { "Add", "Add" },
	};
	unsigned int ok = 0;

	for (size_t i = 0; i < ARRAY_SIZE(alias); i++) {
		const struct acl_op_schema *s = acl_op_schema_find(alias[i][0]);

		ok += s && !strcmp(acl_op_schema_lib(s), alias[i][1]);
	}
	TAP_CHECK(ok == ARRAY_SIZE(alias), "CANN names and their op-table names (%u of %zu)", ok,
		  ARRAY_SIZE(alias));
	TAP_CHECK(!acl_op_schema_find("Slice") && !acl_op_schema_find("add"),
		  "names the schema does not know (Slice is ONNX's; names are case-sensitive)");
	TAP_CHECK(acl_op_schema_count() >= 70, "%zu CANN op types known", acl_op_schema_count());
}

/* The descriptor, byte by byte against vascend_op.h. */
static void test_desc_layout(void)
{
	struct acl_op_launch *l = calloc(1, sizeof(*l));
	struct vascend_op_desc *h;
	struct vascend_tensor_desc *t;
	struct vascend_op_attr *va;
	uint8_t *buf;
	size_t size;
	int64_t two = 2;
	float f[3] = { 1, 2, 3 };

	l->name = "Add";
	l->op_id = 0x0101;
	l->nin = 3;
	l->nout = 1;
	l->in[0] = (struct acl_op_tensor){ .addr = 0x10000, .size = 24, .dtype = ACL_FLOAT,
					   .format = ACL_FORMAT_ND, .ndim = 2, .dims = { 2, 3 } };
	l->in[1] = (struct acl_op_tensor){ .omitted = true };
	l->in[2] = (struct acl_op_tensor){ .addr = 0x20000, .size = 4, .dtype = ACL_FLOAT,
					   .format = ACL_FORMAT_ND, .ndim = 0 };
	l->out[0] = (struct acl_op_tensor){ .addr = 0x30000, .size = 32, .dtype = ACL_FLOAT16,
					    .format = ACL_FORMAT_NCHW, .ndim = 1, .dims = { 16 } };
	l->nattrs = 3;
	l->attrs[0] = (struct acl_op_attr){ "axis", VASCEND_ATTR_INT, 1, &two };
	l->attrs[1] = (struct acl_op_attr){ "mode", VASCEND_ATTR_STRING, 5, "const" };
	l->attrs[2] = (struct acl_op_attr){ "scales", VASCEND_ATTR_FLOAT, 3, f };
	size = acl_op_desc_size(l);
	TAP_CHECK(size == 64 + 4 * 96 + (48 + 8) + (48 + 8) + (48 + 16),
		  "descriptor size: header, 4 tensors, 3 attributes padded to 8 (%zu)", size);
	buf = malloc(size);
	memset(buf, 0xee, size);
	acl_op_desc_write(l, buf);
	h = (struct vascend_op_desc *)buf;
	TAP_CHECK(h->magic == VASCEND_OP_DESC_MAGIC && h->version == VASCEND_OP_DESC_VERSION &&
		  h->header_size == 64 && h->op_id == 0x0101 && h->num_inputs == 3 && h->num_outputs == 1 &&
		  h->attr_offset == 64 + 4 * 96 && h->attr_count == 3 && h->total_size == size && !h->flags,
		  "header fields");
	TAP_CHECK(!memcmp(h->rsvd, (uint32_t[8]){ 0 }, sizeof(h->rsvd)), "header reserved words zero");
	t = (struct vascend_tensor_desc *)(h + 1);
	TAP_CHECK(t[0].addr == 0x10000 && t[0].size == 24 && t[0].dtype == ACL_FLOAT && t[0].format == 2 &&
		  t[0].ndim == 2 && t[0].dims[0] == 2 && t[0].dims[1] == 3 && !t[0].dims[2] && !t[0].flags,
		  "input 0: address, size, dtype, format, dims, unused dims zero");
	/* The card refuses any other field set (OP_ERROR RESERVED): format too. */
	TAP_CHECK(!memcmp(&t[1], &(struct vascend_tensor_desc){ .dtype = VASCEND_DTYPE_UNDEFINED },
			  sizeof(t[1])),
		  "an omitted input: dtype UNDEFINED, everything else zero, format and dims too "
		  "(format %u)", t[1].format);
	TAP_CHECK(t[2].ndim == 0 && t[2].size == 4, "a scalar input: 0 dims");
	TAP_CHECK(t[3].dtype == ACL_FLOAT16 && t[3].format == ACL_FORMAT_NCHW && t[3].dims[0] == 16,
		  "the output after the inputs");
	va = (struct vascend_op_attr *)(buf + h->attr_offset);
	TAP_CHECK(!strcmp(va->name, "axis") && va->name[39] == 0 && va->type == VASCEND_ATTR_INT &&
		  va->count == 1 && *(int64_t *)(va + 1) == 2, "attribute 0: name NUL-padded, INT 2");
	va = (struct vascend_op_attr *)((uint8_t *)(va + 1) + 8);
	TAP_CHECK(!strcmp(va->name, "mode") && va->type == VASCEND_ATTR_STRING && va->count == 5 &&
		  !memcmp(va + 1, "const\0\0\0", 8), "attribute 1: STRING of 5 bytes, zero-padded to 8");
	va = (struct vascend_op_attr *)((uint8_t *)(va + 1) + 8);
	TAP_CHECK(va->type == VASCEND_ATTR_FLOAT && va->count == 3 && ((float *)(va + 1))[2] == 3.0f &&
		  !memcmp((uint8_t *)(va + 1) + 12, "\0\0\0\0", 4),
		  "attribute 2: FLOAT x3, padded; ends at total_size");
	TAP_CHECK((uint8_t *)(va + 1) + 16 == buf + size, "nothing after the last attribute");
	free(buf);
	free(l);
}

static void test_error_mapping(void)
{
	struct acl_op_launch *l = calloc(1, sizeof(*l));
	aclrtStream s = (aclrtStream)(uintptr_t)0x1234;
	char msg[512];
	uint64_t seq;

	TAP_CHECK(acl_op_code_from_info(VASCEND_CQE_STATUS_OP_UNKNOWN, 0, 2) == ACL_ERROR_OP_NOT_FOUND,
		  "OP_UNKNOWN -> ACL_ERROR_OP_NOT_FOUND");
	TAP_CHECK(acl_op_code_from_info(VASCEND_CQE_STATUS_OP_ERROR,
					VASCEND_OP_ERR_INFO(VASCEND_OP_ERR_DTYPE, 1), 2) ==
		  ACL_ERROR_OP_INPUT_NOT_MATCH, "DTYPE of input 1 -> ACL_ERROR_OP_INPUT_NOT_MATCH");
	TAP_CHECK(acl_op_code_from_info(VASCEND_CQE_STATUS_OP_ERROR,
					VASCEND_OP_ERR_INFO(VASCEND_OP_ERR_SHAPE, 2), 2) ==
		  ACL_ERROR_OP_OUTPUT_NOT_MATCH, "SHAPE of operand 2 of 2 inputs (output 0) -> OUTPUT_NOT_MATCH");
	TAP_CHECK(acl_op_code_from_info(VASCEND_CQE_STATUS_OP_ERROR,
					VASCEND_OP_ERR_INFO(VASCEND_OP_ERR_ATTR_VALUE, VASCEND_OP_ERR_ATTR(0)), 2) ==
		  ACL_ERROR_OP_ATTR_NOT_MATCH, "ATTR_VALUE -> ACL_ERROR_OP_ATTR_NOT_MATCH");
	TAP_CHECK(acl_op_code_from_info(VASCEND_CQE_STATUS_OP_ERROR,
					VASCEND_OP_ERR_INFO(VASCEND_OP_ERR_UNSUPPORTED, VASCEND_OP_ERR_ATTR(1)), 2) ==
		  ACL_ERROR_OP_ATTR_NOT_MATCH, "UNSUPPORTED naming an attribute -> ATTR_NOT_MATCH");
	TAP_CHECK(acl_op_code_from_info(VASCEND_CQE_STATUS_OP_ERROR,
					VASCEND_OP_ERR_INFO(VASCEND_OP_ERR_MAGIC, VASCEND_OP_ERR_HEADER), 2) ==
		  ACL_ERROR_INTERNAL_ERROR, "a descriptor the card cannot read -> ACL_ERROR_INTERNAL_ERROR");

	l->name = "MatMul";
	l->nin = 2;
	l->nout = 1;
	l->in[0] = (struct acl_op_tensor){ .dtype = ACL_FLOAT, .format = ACL_FORMAT_ND, .ndim = 2, .dims = { 3, 4 } };
	l->in[1] = (struct acl_op_tensor){ .dtype = ACL_FLOAT16, .format = ACL_FORMAT_ND, .ndim = 2, .dims = { 5, 6 } };
	l->out[0] = (struct acl_op_tensor){ .dtype = ACL_FLOAT, .format = ACL_FORMAT_ND, .ndim = 2, .dims = { 3, 6 } };
	l->nattrs = 1;
	l->attrs[0] = (struct acl_op_attr){ "transpose_x1", VASCEND_ATTR_BOOL, 1, "\1" };
	acl_op_history_add(0, s, 41, l);
	TAP_CHECK(acl_op_history_last(s, &seq) && seq == 41, "the history remembers the last launch");
	TAP_CHECK(acl_op_explain_failure(0, s, false, 41, VASCEND_CQE_STATUS_OP_ERROR,
					 VASCEND_OP_ERR_INFO(VASCEND_OP_ERR_DTYPE, 1), msg, sizeof(msg)) ==
		  ACL_ERROR_OP_INPUT_NOT_MATCH, "explain: DTYPE of input 1 -> INPUT_NOT_MATCH");
	TAP_CHECK(str_has(msg, "MatMul") && str_has(msg, "input 1 (float16 [5,6] ND)") &&
		  str_has(msg, "data type"), "  message: %s", msg);
	TAP_CHECK(acl_op_explain_failure(0, s, false, 41, VASCEND_CQE_STATUS_OP_ERROR,
					 VASCEND_OP_ERR_INFO(VASCEND_OP_ERR_ATTR_VALUE, VASCEND_OP_ERR_ATTR(0)),
					 msg, sizeof(msg)) == ACL_ERROR_OP_ATTR_NOT_MATCH &&
		  str_has(msg, "attribute 'transpose_x1'"), "explain: attribute 0 by name: %s", msg);
	TAP_CHECK(acl_op_explain_failure(0, s, false, 41, VASCEND_CQE_STATUS_OP_ERROR,
					 VASCEND_OP_ERR_INFO(VASCEND_OP_ERR_SHAPE, 2), msg, sizeof(msg)) ==
		  ACL_ERROR_OP_OUTPUT_NOT_MATCH && str_has(msg, "output 0 (float32 [3,6] ND)"),
		  "explain: output 0: %s", msg);
	TAP_CHECK(acl_op_explain_failure(0, s, false, 42, VASCEND_CQE_STATUS_OP_ERROR, 0, msg, sizeof(msg)) ==
		  ACL_SUCCESS, "explain: a task the op layer did not queue: ACL_SUCCESS (not ours)");
	TAP_CHECK(acl_op_explain_failure(1, s, false, 41, VASCEND_CQE_STATUS_OP_ERROR, 0, msg, sizeof(msg)) ==
		  ACL_SUCCESS, "explain: same seq on another device: not ours");
	acl_op_history_add(0, NULL, 7, l);
	TAP_CHECK(acl_op_explain_failure(0, s, true, 7, VASCEND_CQE_STATUS_OP_UNKNOWN, 0, msg, sizeof(msg)) ==
		  ACL_ERROR_OP_NOT_FOUND && str_has(msg, "MatMul"),
		  "explain: the default stream (queued as NULL): OP_UNKNOWN -> OP_NOT_FOUND");
	free(l);
}

int main(void)
{
	test_setters();
	test_encoding();
	test_translations();
	test_schema();
	test_desc_layout();
	test_error_mapping();
	return tap_done();
}
