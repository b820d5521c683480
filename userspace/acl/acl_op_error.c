// SPDX-License-Identifier: MIT
/*
 * When a launch fails on the card, the stream reports the task's seq, the
 * status (OP_UNKNOWN, OP_ERROR) and, for OP_ERROR, which operand the card
 * refused and why (vascend_op.h). To say that the way CANN would (the op,
 * the operand's type and shape), the single-op layer remembers its recent
 * launches: the last ACL_OP_HISTORY of them, process-wide, keyed by stream
 * and seq. A failure older than that is still mapped to the right code,
 * with a message naming only the operand's index.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "acl_internal.h"
#include "acl_op_internal.h"
#include "vascend_queue_hw.h"

#define ACL_OP_HISTORY		256
#define HIST_TENSORS		8
#define HIST_ATTRS		16

struct hist_tensor {
	uint32_t dtype;
	uint32_t format;
	uint32_t ndim;
	int64_t dims[VASCEND_OP_MAX_DIMS];
};

struct hist {
	int32_t dev;
	aclrtStream stream;		/* as the caller named it: NULL for the default stream */
	uint64_t seq;			/* 0: empty */
	char name[32];
	uint32_t nin, nout, nattrs;
	struct hist_tensor t[HIST_TENSORS];
	char attr[HIST_ATTRS][VASCEND_OP_ATTR_NAME_LEN];
};

/* Protects history and next. */
static pthread_mutex_t hist_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hist history[ACL_OP_HISTORY];
static unsigned int next;

static void hist_tensor_set(struct hist_tensor *h, const struct acl_op_tensor *t)
{
	h->dtype = t->omitted ? (uint32_t)ACL_DT_UNDEFINED : t->dtype;
	h->format = t->omitted ? (uint32_t)ACL_FORMAT_UNDEFINED : t->format;
	h->ndim = t->omitted ? 0 : t->ndim;
	memcpy(h->dims, t->dims, h->ndim * sizeof(h->dims[0]));
}

void acl_op_history_add(int32_t dev, aclrtStream stream, uint64_t seq, const struct acl_op_launch *l)
{
	struct hist *h;
	uint32_t k = 0;

	pthread_mutex_lock(&hist_lock);
	h = &history[next++ % ACL_OP_HISTORY];
	h->dev = dev;
	h->stream = stream;
	h->seq = seq;
	snprintf(h->name, sizeof(h->name), "%s", l->name);
	h->nin = l->nin;
	h->nout = l->nout;
	h->nattrs = l->nattrs;
	for (uint32_t i = 0; i < l->nin && k < HIST_TENSORS; i++)
		hist_tensor_set(&h->t[k++], &l->in[i]);
	for (uint32_t i = 0; i < l->nout && k < HIST_TENSORS; i++)
		hist_tensor_set(&h->t[k++], &l->out[i]);
	for (uint32_t i = 0; i < l->nattrs && i < HIST_ATTRS; i++)
		snprintf(h->attr[i], sizeof(h->attr[i]), "%s", l->attrs[i].name);
	pthread_mutex_unlock(&hist_lock);
}

bool acl_op_history_last(aclrtStream stream, uint64_t *seq)
{
	bool found = false;

	pthread_mutex_lock(&hist_lock);
	for (unsigned int i = 1; i <= ACL_OP_HISTORY && !found; i++) {
		const struct hist *h = &history[(next - i) % ACL_OP_HISTORY];

		if (h->seq && h->stream == stream) {
			*seq = h->seq;
			found = true;
		}
	}
	pthread_mutex_unlock(&hist_lock);
	return found;
}

static const char *reason_name(uint32_t reason)
{
	switch (reason) {
	case VASCEND_OP_ERR_MAGIC: return "bad descriptor magic";
	case VASCEND_OP_ERR_VERSION: return "descriptor version not supported";
	case VASCEND_OP_ERR_OP_ID: return "descriptor names another op";
	case VASCEND_OP_ERR_COUNT: return "wrong number of inputs, outputs or attributes";
	case VASCEND_OP_ERR_LAYOUT: return "descriptor layout";
	case VASCEND_OP_ERR_RESERVED: return "reserved field not zero";
	case VASCEND_OP_ERR_DTYPE: return "data type not supported, or not the one the other operands need";
	case VASCEND_OP_ERR_FORMAT: return "format not supported";
	case VASCEND_OP_ERR_SHAPE: return "shape does not fit the op or the other operands";
	case VASCEND_OP_ERR_SIZE: return "buffer smaller than the shape needs";
	case VASCEND_OP_ERR_ATTR_VALUE: return "attribute missing, unknown, of the wrong type or out of range";
	case VASCEND_OP_ERR_VALUE: return "a value read from the tensor is out of range (an index, a pad)";
	case VASCEND_OP_ERR_UNSUPPORTED: return "a case vascend's library does not implement";
	default: return "refused";
	}
}

aclError acl_op_code_from_info(uint32_t status, uint32_t info, uint32_t nin)
{
	uint32_t reason = VASCEND_OP_ERR_REASON(info), operand = VASCEND_OP_ERR_OPERAND(info);

	if (status == VASCEND_CQE_STATUS_OP_UNKNOWN)
		return ACL_ERROR_OP_NOT_FOUND;
	if (status != VASCEND_CQE_STATUS_OP_ERROR)
		return ACL_ERROR_INTERNAL_ERROR;
	switch (reason) {
	case VASCEND_OP_ERR_MAGIC:
	case VASCEND_OP_ERR_VERSION:
	case VASCEND_OP_ERR_OP_ID:
	case VASCEND_OP_ERR_LAYOUT:
	case VASCEND_OP_ERR_RESERVED:
		/* the runtime wrote a descriptor the card does not take: a bug here */
		return ACL_ERROR_INTERNAL_ERROR;
	case VASCEND_OP_ERR_ATTR_VALUE:
		return ACL_ERROR_OP_ATTR_NOT_MATCH;
	default:
		break;
	}
	if (operand == VASCEND_OP_ERR_HEADER)
		return ACL_ERROR_OP_INPUT_NOT_MATCH;
	if (operand & 0x8000)
		return ACL_ERROR_OP_ATTR_NOT_MATCH;
	return operand < nin ? ACL_ERROR_OP_INPUT_NOT_MATCH : ACL_ERROR_OP_OUTPUT_NOT_MATCH;
}

static int shape_str(char *buf, size_t len, const struct hist_tensor *t)
{
	int n = snprintf(buf, len, "%s [", acl_dtype_name((int)t->dtype));

	for (uint32_t i = 0; i < t->ndim && n > 0 && (size_t)n < len; i++)
		n += snprintf(buf + n, len - (size_t)n, "%s%" PRId64, i ? "," : "", t->dims[i]);
	if (n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "] %s", acl_format_name((int)t->format));
	return n;
}

/* "input 1 (float16 [2,3] ND)", "attribute 2 ('pads')", "the op" */
static void operand_str(char *buf, size_t len, const struct hist *h, uint32_t operand)
{
	char shape[160];

	if (operand == VASCEND_OP_ERR_HEADER) {
		snprintf(buf, len, "the op");
	} else if (operand & 0x8000) {
		uint32_t a = operand & 0x7fff;

		if (h && a < h->nattrs && a < HIST_ATTRS)
			snprintf(buf, len, "attribute '%s'", h->attr[a]);
		else
			snprintf(buf, len, "attribute %u", a);
	} else {
		bool in = !h || operand < h->nin;
		uint32_t idx = in ? operand : operand - h->nin;

		if (h && operand < HIST_TENSORS && operand < h->nin + h->nout) {
			shape_str(shape, sizeof(shape), &h->t[operand]);
			snprintf(buf, len, "%s %u (%s)", in ? "input" : "output", idx, shape);
		} else if (h) {
			snprintf(buf, len, "%s %u", in ? "input" : "output", idx);
		} else {
			snprintf(buf, len, "operand %u", operand);
		}
	}
}

/* At @msg + @at: "; operands: float32 [2,3] ND, float32 [4] ND -> float32 [2,3] ND" */
static void operands_str(char *msg, size_t len, int at, const struct hist *h)
{
	uint32_t nt = h->nin + h->nout;

	if (at < 0 || (size_t)at >= len)
		return;
	at += snprintf(msg + at, len - (size_t)at, "; operands:");
	for (uint32_t i = 0; i < nt && i < HIST_TENSORS && at > 0 && (size_t)at < len; i++) {
		at += snprintf(msg + at, len - (size_t)at, "%s", i == h->nin ? " ->" : i ? "," : "");
		if (at > 0 && (size_t)at < len)
			at += snprintf(msg + at, len - (size_t)at, " ");
		if (at > 0 && (size_t)at < len)
			at += shape_str(msg + at, len - (size_t)at, &h->t[i]);
	}
}

aclError acl_op_explain_failure(int32_t dev, aclrtStream stream, bool default_stream, uint64_t seq,
				uint32_t status, uint32_t info, char *msg, size_t len)
{
	struct hist h;
	bool found = false;
	char what[256];
	aclError code;
	int n;

	if (status != VASCEND_CQE_STATUS_OP_ERROR && status != VASCEND_CQE_STATUS_OP_UNKNOWN)
		return ACL_SUCCESS;
	pthread_mutex_lock(&hist_lock);
	/*
	 * Newest first: a stream made after a destroyed one at the same address,
	 * or the default stream after aclrtResetDevice, numbers its tasks from 1
	 * again; the latest launch with this (device, stream, seq) is the one.
	 */
	for (unsigned int i = 1; i <= ACL_OP_HISTORY; i++) {
		const struct hist *c = &history[(next - i) % ACL_OP_HISTORY];

		if (c->seq == seq && c->dev == dev &&
		    (c->stream == stream || (!c->stream && default_stream))) {
			h = *c;
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&hist_lock);
	if (!found)
		return ACL_SUCCESS;
	code = acl_op_code_from_info(status, info, h.nin);
	if (status == VASCEND_CQE_STATUS_OP_UNKNOWN) {
		snprintf(msg, len, "op %s is not in the card's op table (task %" PRIu64 ")", h.name, seq);
		return code;
	}
	operand_str(what, sizeof(what), &h, VASCEND_OP_ERR_OPERAND(info));
	n = snprintf(msg, len, "op %s (task %" PRIu64 ") failed on the card: %s: %s", h.name, seq, what,
		     reason_name(VASCEND_OP_ERR_REASON(info)));
	/*
	 * A shape or type is wrong only against the others (Add [2,3] + [4]):
	 * every operand's, so the message alone says what to fix.
	 */
	if (VASCEND_OP_ERR_REASON(info) != VASCEND_OP_ERR_ATTR_VALUE &&
	    !(VASCEND_OP_ERR_OPERAND(info) & 0x8000))
		operands_str(msg, len, n, &h);
	return code;
}
