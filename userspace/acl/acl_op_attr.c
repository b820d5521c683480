// SPDX-License-Identifier: MIT
/*
 * aclopAttr: an op's attributes by name, as the aclopSetAttr* calls set
 * them. A name set twice keeps the last value (CANN's map semantics);
 * values are copied. How each kind reaches the card is acl_op_schema.c's
 * business (acl_op_translate_attrs). None of these need aclInit.
 */
#include <stdlib.h>
#include <string.h>

#include "acl_error.h"
#include "acl_op_internal.h"

ACL_FUNC_VISIBILITY aclopAttr *aclopCreateAttr(void)
{
	aclopAttr *a = calloc(1, sizeof(*a));

	if (!a) {
		acl_fail(ACL_ERROR_BAD_ALLOC, "aclopCreateAttr", "out of memory");
		return NULL;
	}
	a->magic = ACL_OP_ATTR_MAGIC;
	return a;
}

static void item_free(struct acl_attr *it)
{
	free(it->name);
	free(it->data);
}

ACL_FUNC_VISIBILITY void aclopDestroyAttr(const aclopAttr *attr)
{
	aclopAttr *a = (aclopAttr *)attr;

	if (!a)
		return;
	for (uint32_t i = 0; i < a->count; i++)
		item_free(&a->items[i]);
	free(a->items);
	a->magic = 0;
	free(a);
}

const struct acl_attr *acl_attr_find(const aclopAttr *attr, const char *name)
{
	if (!attr)
		return NULL;
	for (uint32_t i = 0; i < attr->count; i++)
		if (!strcmp(attr->items[i].name, name))
			return &attr->items[i];
	return NULL;
}

aclopAttr *acl_attr_clone(const aclopAttr *attr)
{
	aclopAttr *c = aclopCreateAttr();

	if (!c || !attr || !attr->count)
		return c;
	c->items = calloc(attr->count, sizeof(*c->items));
	if (!c->items)
		goto fail;
	c->cap = attr->count;
	for (uint32_t i = 0; i < attr->count; i++) {
		const struct acl_attr *s = &attr->items[i];
		struct acl_attr *d = &c->items[i];

		*d = *s;
		d->name = strdup(s->name);
		d->data = malloc(s->size ? s->size : 1);
		if (!d->name || !d->data) {
			free(d->name);
			free(d->data);
			goto fail;
		}
		memcpy(d->data, s->data, s->size);
		c->count++;
	}
	return c;
fail:
	aclopDestroyAttr(c);
	return NULL;
}

/* Store (@name, @kind, @count, @size bytes at @data), replacing an earlier value. */
static aclError attr_set(const char *api, aclopAttr *attr, const char *name, enum acl_attr_kind kind,
			 uint32_t count, const void *data, size_t size)
{
	struct acl_attr *it = (struct acl_attr *)acl_attr_find(attr, name);
	void *copy = malloc(size ? size : 1);
	char *n = NULL;

	if (!copy)
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
	if (size)
		memcpy(copy, data, size);
	if (!it) {
		n = strdup(name);
		if (!n)
			goto oom;
		if (attr->count == attr->cap) {
			uint32_t cap = attr->cap ? attr->cap * 2 : 8;
			struct acl_attr *items = realloc(attr->items, cap * sizeof(*items));

			if (!items)
				goto oom;
			attr->items = items;
			attr->cap = cap;
		}
		it = &attr->items[attr->count++];
		it->name = n;
	} else {
		free(it->data);
	}
	it->kind = kind;
	it->count = count;
	it->data = copy;
	it->size = size;
	return ACL_SUCCESS;
oom:
	free(n);
	free(copy);
	return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
}

/* The checks every setter makes first. */
static aclError check(const char *api, const aclopAttr *attr, const char *name)
{
	if (!attr)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "attr is NULL");
	if (attr->magic != ACL_OP_ATTR_MAGIC)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"attr is not an aclopAttr from aclopCreateAttr (or was destroyed)");
	if (!name)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "attrName is NULL");
	return ACL_SUCCESS;
}

static aclError check_list(const char *api, const aclopAttr *attr, const char *name, int n,
			   const void *values)
{
	aclError rc = check(api, attr, name);

	if (rc)
		return rc;
	if (n < 0)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s: numValues is %d, must not be negative",
				name, n);
	if (n > 0 && !values)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s: values is NULL while numValues is %d",
				name, n);
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclopSetAttrBool(aclopAttr *attr, const char *attrName, uint8_t attrValue)
{
	const char *api = "aclopSetAttrBool";
	uint8_t v = attrValue != 0;
	aclError rc = check(api, attr, attrName);

	return rc ? rc : attr_set(api, attr, attrName, ACL_ATTR_BOOL, 1, &v, 1);
}

ACL_FUNC_VISIBILITY aclError aclopSetAttrInt(aclopAttr *attr, const char *attrName, int64_t attrValue)
{
	const char *api = "aclopSetAttrInt";
	aclError rc = check(api, attr, attrName);

	return rc ? rc : attr_set(api, attr, attrName, ACL_ATTR_INT, 1, &attrValue, sizeof(attrValue));
}

ACL_FUNC_VISIBILITY aclError aclopSetAttrFloat(aclopAttr *attr, const char *attrName, float attrValue)
{
	const char *api = "aclopSetAttrFloat";
	aclError rc = check(api, attr, attrName);

	return rc ? rc : attr_set(api, attr, attrName, ACL_ATTR_FLOAT, 1, &attrValue, sizeof(attrValue));
}

ACL_FUNC_VISIBILITY aclError aclopSetAttrString(aclopAttr *attr, const char *attrName, const char *attrValue)
{
	const char *api = "aclopSetAttrString";
	aclError rc = check(api, attr, attrName);
	size_t n;

	if (rc)
		return rc;
	if (!attrValue)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s: attrValue is NULL", attrName);
	n = strlen(attrValue);
	if (n > UINT32_MAX)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s: string too long", attrName);
	return attr_set(api, attr, attrName, ACL_ATTR_STRING, (uint32_t)n, attrValue, n);
}

ACL_FUNC_VISIBILITY aclError aclopSetAttrDataType(aclopAttr *attr, const char *attrName, aclDataType attrValue)
{
	const char *api = "aclopSetAttrDataType";
	int64_t v = attrValue;
	aclError rc = check(api, attr, attrName);

	return rc ? rc : attr_set(api, attr, attrName, ACL_ATTR_DTYPE, 1, &v, sizeof(v));
}

/* Store @n aclDataType values as int64 (the card encodes data types as INT). */
static aclError set_int64_list(const char *api, aclopAttr *attr, const char *name, enum acl_attr_kind kind,
			       int n, const aclDataType *dts)
{
	int64_t *v = malloc(n ? (size_t)n * sizeof(*v) : 1);
	aclError rc;

	if (!v)
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
	for (int i = 0; i < n; i++)
		v[i] = dts[i];
	rc = attr_set(api, attr, name, kind, (uint32_t)n, v, (size_t)n * sizeof(*v));
	free(v);
	return rc;
}

ACL_FUNC_VISIBILITY aclError aclopSetAttrListDataType(aclopAttr *attr, const char *attrName, int numValues,
						      const aclDataType values[])
{
	const char *api = "aclopSetAttrListDataType";
	aclError rc = check_list(api, attr, attrName, numValues, values);

	return rc ? rc : set_int64_list(api, attr, attrName, ACL_ATTR_LIST_DTYPE, numValues, values);
}

ACL_FUNC_VISIBILITY aclError aclopSetAttrListBool(aclopAttr *attr, const char *attrName, int numValues,
						  const uint8_t *values)
{
	const char *api = "aclopSetAttrListBool";
	aclError rc = check_list(api, attr, attrName, numValues, values);
	uint8_t *v;

	if (rc)
		return rc;
	v = malloc(numValues ? (size_t)numValues : 1);
	if (!v)
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
	for (int i = 0; i < numValues; i++)
		v[i] = values[i] != 0;
	rc = attr_set(api, attr, attrName, ACL_ATTR_LIST_BOOL, (uint32_t)numValues, v, (size_t)numValues);
	free(v);
	return rc;
}

ACL_FUNC_VISIBILITY aclError aclopSetAttrListInt(aclopAttr *attr, const char *attrName, int numValues,
						 const int64_t *values)
{
	const char *api = "aclopSetAttrListInt";
	aclError rc = check_list(api, attr, attrName, numValues, values);

	return rc ? rc : attr_set(api, attr, attrName, ACL_ATTR_LIST_INT, (uint32_t)numValues, values,
				  (size_t)numValues * sizeof(*values));
}

ACL_FUNC_VISIBILITY aclError aclopSetAttrListFloat(aclopAttr *attr, const char *attrName, int numValues,
						   const float *values)
{
	const char *api = "aclopSetAttrListFloat";
	aclError rc = check_list(api, attr, attrName, numValues, values);

	return rc ? rc : attr_set(api, attr, attrName, ACL_ATTR_LIST_FLOAT, (uint32_t)numValues, values,
				  (size_t)numValues * sizeof(*values));
}

ACL_FUNC_VISIBILITY aclError aclopSetAttrListString(aclopAttr *attr, const char *attrName, int numValues,
						    const char **values)
{
	const char *api = "aclopSetAttrListString";
	aclError rc = check_list(api, attr, attrName, numValues, values);
	size_t size = 0, off = 0;
	char *buf;

	if (rc)
		return rc;
	for (int i = 0; i < numValues; i++) {
		if (!values[i])
			return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s: values[%d] is NULL", attrName, i);
		size += strlen(values[i]) + 1;
	}
	buf = malloc(size ? size : 1);
	if (!buf)
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
	for (int i = 0; i < numValues; i++) {
		size_t n = strlen(values[i]) + 1;

		memcpy(buf + off, values[i], n);
		off += n;
	}
	rc = attr_set(api, attr, attrName, ACL_ATTR_LIST_STRING, (uint32_t)numValues, buf, size);
	free(buf);
	return rc;
}

ACL_FUNC_VISIBILITY aclError aclopSetAttrListListInt(aclopAttr *attr, const char *attrName, int numLists,
						     const int *numValues, const int64_t *const values[])
{
	const char *api = "aclopSetAttrListListInt";
	aclError rc = check(api, attr, attrName);
	size_t total = 0, k = 0;
	int64_t *buf;

	if (rc)
		return rc;
	if (numLists < 0)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s: numLists is %d, must not be negative",
				attrName, numLists);
	if (numLists > 0 && (!numValues || !values))
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s: %s is NULL while numLists is %d",
				attrName, !numValues ? "numValues" : "values", numLists);
	for (int i = 0; i < numLists; i++) {
		if (numValues[i] < 0)
			return acl_fail(ACL_ERROR_INVALID_PARAM, api,
					"%s: numValues[%d] is %d, must not be negative", attrName, i,
					numValues[i]);
		if (numValues[i] > 0 && !values[i])
			return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s: values[%d] is NULL", attrName, i);
		total += (size_t)numValues[i];
	}
	/* lengths first, then the values of every list */
	buf = malloc(((size_t)numLists + total) * sizeof(*buf) + 1);
	if (!buf)
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
	for (int i = 0; i < numLists; i++)
		buf[k++] = numValues[i];
	for (int i = 0; i < numLists; i++)
		for (int j = 0; j < numValues[i]; j++)
			buf[k++] = values[i][j];
	rc = attr_set(api, attr, attrName, ACL_ATTR_LIST_LIST_INT, (uint32_t)numLists, buf,
		      k * sizeof(*buf));
	free(buf);
	return rc;
}
