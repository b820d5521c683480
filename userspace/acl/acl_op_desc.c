// SPDX-License-Identifier: MIT
/*
 * The op descriptor a KERNEL_LAUNCH names (include/uapi/vascend_op.h):
 * header, one tensor description per input then per output, attributes
 * each followed by its data padded to 8. The card checks every field; the
 * runtime writes them so that it never has to: reserved fields zero, names
 * NUL-padded, sizes covering shapes (checked in acl_op_exec.c).
 */
#include <string.h>

#include "acl_op_internal.h"

#define ALIGN8(x)	(((x) + 7) & ~(size_t)7)
#define ALIGN64(x)	(((x) + 63) & ~(size_t)63)

static size_t attr_bytes(const struct acl_op_attr *a)
{
	switch (a->type) {
	case VASCEND_ATTR_INT:
		return (size_t)a->count * 8;
	case VASCEND_ATTR_FLOAT:
		return (size_t)a->count * 4;
	default:	/* BOOL, STRING: bytes */
		return a->count;
	}
}

size_t acl_op_desc_size(const struct acl_op_launch *l)
{
	size_t size = sizeof(struct vascend_op_desc) +
		      (size_t)(l->nin + l->nout) * sizeof(struct vascend_tensor_desc);

	for (uint32_t i = 0; i < l->nattrs; i++) {
		size += sizeof(struct vascend_op_attr) + ALIGN8(attr_bytes(&l->attrs[i]));
		if (size > VASCEND_OP_MAX_DESC_SIZE)
			return 0;
	}
	return size <= VASCEND_OP_MAX_DESC_SIZE ? size : 0;
}

size_t acl_op_inline_size(const struct acl_op_launch *l)
{
	size_t size = 0;

	for (uint32_t i = 0; i < l->nin; i++)
		if (l->in[i].inline_data)
			size += ALIGN64(l->in[i].size);
	return size;
}

static void tensor_write(struct vascend_tensor_desc *d, const struct acl_op_tensor *t)
{
	memset(d, 0, sizeof(*d));
	if (t->omitted) {
		/*
		 * An omitted optional input: ACL_DT_UNDEFINED and every other
		 * field zero (vascend_op.h; the card refuses anything else
		 * with OP_ERROR RESERVED), format included.
		 */
		d->dtype = VASCEND_DTYPE_UNDEFINED;
		return;
	}
	d->addr = t->addr;
	d->size = t->size;
	d->dtype = t->dtype;
	d->format = t->format;
	d->ndim = t->ndim;
	memcpy(d->dims, t->dims, t->ndim * sizeof(d->dims[0]));
}

void acl_op_desc_write(const struct acl_op_launch *l, void *buf)
{
	struct vascend_op_desc *h = buf;
	struct vascend_tensor_desc *t = (struct vascend_tensor_desc *)(h + 1);
	uint8_t *p;
	size_t size = acl_op_desc_size(l);

	memset(h, 0, sizeof(*h));
	h->magic = VASCEND_OP_DESC_MAGIC;
	h->version = VASCEND_OP_DESC_VERSION;
	h->header_size = sizeof(*h);
	h->op_id = l->op_id;
	h->num_inputs = (uint16_t)l->nin;
	h->num_outputs = (uint16_t)l->nout;
	h->attr_offset = (uint32_t)(sizeof(*h) + (l->nin + l->nout) * sizeof(*t));
	h->attr_count = l->nattrs;
	h->total_size = (uint32_t)size;
	for (uint32_t i = 0; i < l->nin; i++)
		tensor_write(t++, &l->in[i]);
	for (uint32_t i = 0; i < l->nout; i++)
		tensor_write(t++, &l->out[i]);
	p = (uint8_t *)t;
	for (uint32_t i = 0; i < l->nattrs; i++) {
		const struct acl_op_attr *a = &l->attrs[i];
		struct vascend_op_attr *va = (struct vascend_op_attr *)p;
		size_t n = attr_bytes(a);

		memset(va, 0, sizeof(*va));
		/* names were checked to fit with at least one NUL */
		strncpy(va->name, a->name, sizeof(va->name) - 1);
		va->type = a->type;
		va->count = a->count;
		p += sizeof(*va);
		if (n)
			memcpy(p, a->data, n);
		memset(p + n, 0, ALIGN8(n) - n);
		p += ALIGN8(n);
	}
}
