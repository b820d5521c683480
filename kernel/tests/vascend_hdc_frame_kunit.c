// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the HDC framing and flow control (vascend_hdc_frame.c):
 * ring index arithmetic across the 2^32 wrap, slot headers and the checks
 * of what the device sends, fragmenting messages of many sizes into slots
 * of every allowed size and reassembling them (also interleaved between
 * sessions), every fragment-order violation, and the credit accounts.
 */

#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/prandom.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <uapi/vascend_hdc_hw.h>

#include "vascend_hdc_frame.h"

#define F_FIRST		VASCEND_HDC_F_FIRST
#define F_LAST		VASCEND_HDC_F_LAST
#define MAX_MSG		VASCEND_HDC_MAX_MSG
#define HDR		VASCEND_HDC_HDR_SIZE

/* ---- rings ---- */

static void hdc_ring_math(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vascend_hdc_ring_used(0, 0), 0);
	KUNIT_EXPECT_EQ(test, vascend_hdc_ring_used(5, 9), 4);
	/* Across 2^32: the tail has wrapped, the head not yet. */
	KUNIT_EXPECT_EQ(test, vascend_hdc_ring_used(0xfffffff0, 0x10), 0x20);
	KUNIT_EXPECT_EQ(test, vascend_hdc_ring_room(0xfffffff0, 0x10, 256),
			256 - 0x20);
	KUNIT_EXPECT_EQ(test, vascend_hdc_ring_room(U32_MAX, U32_MAX + 256U,
						    256), 0);
	KUNIT_EXPECT_EQ(test, vascend_hdc_ring_room(7, 7, 2), 2);

	KUNIT_EXPECT_EQ(test, vascend_hdc_slot_offset(0, 256, 4096), 0);
	KUNIT_EXPECT_EQ(test, vascend_hdc_slot_offset(257, 256, 4096), 4096);
	KUNIT_EXPECT_EQ(test, vascend_hdc_slot_offset(U32_MAX, 256, 4096),
			255 * 4096);
	/* The slot after index 2^32 - 1 is slot 0: the ring stays a ring. */
	KUNIT_EXPECT_EQ(test, vascend_hdc_slot_offset(U32_MAX + 1U, 256, 4096), 0);
	KUNIT_EXPECT_EQ(test, vascend_hdc_slot_offset(U32_MAX, 4096, 65536),
			(size_t)4095 * 65536);
	KUNIT_EXPECT_EQ(test, vascend_hdc_slot_offset(3, 2, 256), 256);
}

static void hdc_index_in(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, vascend_hdc_index_in(10, 10, 20));
	KUNIT_EXPECT_TRUE(test, vascend_hdc_index_in(10, 15, 20));
	KUNIT_EXPECT_TRUE(test, vascend_hdc_index_in(10, 20, 20));
	KUNIT_EXPECT_FALSE(test, vascend_hdc_index_in(10, 21, 20));
	KUNIT_EXPECT_FALSE(test, vascend_hdc_index_in(10, 9, 20));
	KUNIT_EXPECT_TRUE(test, vascend_hdc_index_in(7, 7, 7));
	KUNIT_EXPECT_FALSE(test, vascend_hdc_index_in(7, 8, 7));
	/* A range across the wrap. */
	KUNIT_EXPECT_TRUE(test, vascend_hdc_index_in(0xfffffffe, 0xffffffff, 3));
	KUNIT_EXPECT_TRUE(test, vascend_hdc_index_in(0xfffffffe, 0, 3));
	KUNIT_EXPECT_TRUE(test, vascend_hdc_index_in(0xfffffffe, 3, 3));
	KUNIT_EXPECT_FALSE(test, vascend_hdc_index_in(0xfffffffe, 4, 3));
	KUNIT_EXPECT_FALSE(test, vascend_hdc_index_in(0xfffffffe, 0xfffffffd, 3));
	KUNIT_EXPECT_FALSE(test, vascend_hdc_index_in(0xfffffffe, 0x80000000, 3));
}

/*
 * A producer and a consumer run 2^17 slots through an 8-slot ring whose
 * indices start just below 2^32, each moving a random amount when it can;
 * a shadow of the ring catches a slot written twice before it was read, or
 * read before it was written.
 */
static void hdc_ring_wrap_model(struct kunit *test)
{
	const u32 count = 8, start = U32_MAX - 1000;
	u32 head = start, tail = start, seq_in = 0, seq_out = 0, n, i;
	u32 shadow[8];
	struct rnd_state rnd;

	prandom_seed_state(&rnd, 42);
	memset(shadow, 0xff, sizeof(shadow));
	while (seq_out < (1U << 17)) {
		n = prandom_u32_state(&rnd) % (count + 1);
		n = min(n, vascend_hdc_ring_room(head, tail, count));
		for (i = 0; i < n; i++, tail++) {
			u32 slot = vascend_hdc_slot_offset(tail, count, 1);

			KUNIT_ASSERT_EQ(test, shadow[slot], U32_MAX);
			shadow[slot] = seq_in++;
		}
		KUNIT_ASSERT_LE(test, vascend_hdc_ring_used(head, tail), count);
		/* What a device may publish as its new head. */
		KUNIT_ASSERT_TRUE(test, vascend_hdc_index_in(head, tail, tail));

		n = prandom_u32_state(&rnd) % (count + 1);
		n = min(n, vascend_hdc_ring_used(head, tail));
		for (i = 0; i < n; i++, head++) {
			u32 slot = vascend_hdc_slot_offset(head, count, 1);

			KUNIT_ASSERT_EQ(test, shadow[slot], seq_out++);
			shadow[slot] = U32_MAX;
		}
	}
	/* Both indices went through the wrap. */
	KUNIT_EXPECT_LT(test, head, start);
	KUNIT_EXPECT_EQ(test, head - start, seq_out);
}

/* ---- headers ---- */

static void hdc_hdr_builders(struct kunit *test)
{
	struct vascend_hdc_msg_hdr h, want;

	memset(&h, 0xa5, sizeof(h));
	vascend_hdc_hdr_connect(&h, 7, VASCEND_HDC_SVC_FILE, 4);
	memset(&want, 0, sizeof(want));
	want.session = 7;
	want.type = VASCEND_HDC_MSG_CONNECT;
	want.arg = VASCEND_HDC_SVC_FILE;
	want.credits = 4;
	KUNIT_EXPECT_MEMEQ(test, &h, &want, sizeof(h));

	memset(&h, 0xa5, sizeof(h));
	vascend_hdc_hdr_credit(&h, U32_MAX, 3);
	memset(&want, 0, sizeof(want));
	want.session = U32_MAX;
	want.type = VASCEND_HDC_MSG_CREDIT;
	want.credits = 3;
	KUNIT_EXPECT_MEMEQ(test, &h, &want, sizeof(h));

	memset(&h, 0xa5, sizeof(h));
	vascend_hdc_hdr_close(&h, 1, VASCEND_HDC_ERR_PROTOCOL);
	memset(&want, 0, sizeof(want));
	want.session = 1;
	want.type = VASCEND_HDC_MSG_CLOSE;
	want.arg = VASCEND_HDC_ERR_PROTOCOL;
	KUNIT_EXPECT_MEMEQ(test, &h, &want, sizeof(h));
}

#define PM	(4096 - HDR)	/* payload of a 4 KiB slot */

/**
 * struct d2h_case - one device -> host header for vascend_hdc_d2h_check()
 * @name: parameter name
 * @hdr: the header
 * @ok: whether it is well-formed
 */
struct d2h_case {
	const char *name;
	struct vascend_hdc_msg_hdr hdr;
	bool ok;
};

#define D2H(n, ok_, ...) { .name = n, .ok = ok_, \
	.hdr = { .session = 5, __VA_ARGS__ } }

static const struct d2h_case d2h_cases[] = {
	D2H("accept", true, .type = VASCEND_HDC_MSG_ACCEPT, .credits = 8),
	D2H("accept_no_credits", true, .type = VASCEND_HDC_MSG_ACCEPT),
	D2H("credit", true, .type = VASCEND_HDC_MSG_CREDIT, .credits = 1),
	D2H("close", true, .type = VASCEND_HDC_MSG_CLOSE,
	    .arg = VASCEND_HDC_ERR_SERVICE),
	D2H("data_single", true, .type = VASCEND_HDC_MSG_DATA,
	    .flags = F_FIRST | F_LAST, .len = 1, .total_len = 1),
	D2H("data_middle_full_slot", true, .type = VASCEND_HDC_MSG_DATA,
	    .len = PM),
	D2H("data_last", true, .type = VASCEND_HDC_MSG_DATA, .flags = F_LAST,
	    .len = 3),
	{ .name = "session_zero", .ok = false,
	  .hdr = { .type = VASCEND_HDC_MSG_CREDIT, .credits = 1 } },
	D2H("type_zero", false, .type = 0),
	D2H("type_connect", false, .type = VASCEND_HDC_MSG_CONNECT, .arg = 1),
	D2H("type_six", false, .type = 6),
	D2H("type_high", false, .type = 0xffff),
	D2H("rsvd", false, .type = VASCEND_HDC_MSG_CREDIT, .credits = 1,
	    .rsvd = 1),
	D2H("data_rsvd", false, .type = VASCEND_HDC_MSG_DATA, .len = 1,
	    .rsvd = 1ULL << 63),
	D2H("data_unknown_flag", false, .type = VASCEND_HDC_MSG_DATA,
	    .flags = 4, .len = 1),
	D2H("data_empty", false, .type = VASCEND_HDC_MSG_DATA,
	    .flags = F_FIRST | F_LAST, .total_len = 1),
	D2H("data_past_slot", false, .type = VASCEND_HDC_MSG_DATA,
	    .len = PM + 1),
	D2H("data_huge_len", false, .type = VASCEND_HDC_MSG_DATA,
	    .len = U32_MAX),
	D2H("data_arg", false, .type = VASCEND_HDC_MSG_DATA, .len = 1, .arg = 1),
	D2H("data_credits", false, .type = VASCEND_HDC_MSG_DATA, .len = 1,
	    .credits = 1),
	D2H("accept_payload", false, .type = VASCEND_HDC_MSG_ACCEPT, .len = 4),
	D2H("accept_flags", false, .type = VASCEND_HDC_MSG_ACCEPT,
	    .flags = F_FIRST),
	D2H("accept_total_len", false, .type = VASCEND_HDC_MSG_ACCEPT,
	    .total_len = 4),
	D2H("accept_arg", false, .type = VASCEND_HDC_MSG_ACCEPT, .arg = 1),
	D2H("credit_arg", false, .type = VASCEND_HDC_MSG_CREDIT, .credits = 1,
	    .arg = 1),
	D2H("credit_zero", false, .type = VASCEND_HDC_MSG_CREDIT),
	D2H("close_credits", false, .type = VASCEND_HDC_MSG_CLOSE, .credits = 1),
	D2H("close_payload", false, .type = VASCEND_HDC_MSG_CLOSE, .len = 1),
};

static void d2h_case_desc(const struct d2h_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(d2h_case, d2h_cases, d2h_case_desc);

static void hdc_d2h_check(struct kunit *test)
{
	const struct d2h_case *c = test->param_value;
	const char *why = NULL;
	int ret;

	ret = vascend_hdc_d2h_check(&c->hdr, PM, &why);
	if (c->ok) {
		KUNIT_EXPECT_EQ(test, ret, 0);
	} else {
		KUNIT_EXPECT_EQ(test, ret, VASCEND_HDC_ERR_PROTOCOL);
		KUNIT_EXPECT_NOT_NULL(test, why);
	}
}

/* ---- fragmenting and reassembly ---- */

static const u32 slot_sizes[] = {
	VASCEND_HDC_MIN_SLOT, 512, 4096, 16384, VASCEND_HDC_MAX_SLOT,
};

/* Cut a message of @len bytes and check every fragment's header. */
static void check_fragments(struct kunit *test, u32 len, u32 slot)
{
	const u32 pm = slot - HDR;
	struct vascend_hdc_msg_hdr h;
	struct vascend_hdc_rx rx = {};
	struct vascend_hdc_tx tx;
	u32 n = 0, off, rx_off = 0, sum = 0;
	enum vascend_hdc_rx_result res = VASCEND_HDC_RX_MORE;

	vascend_hdc_tx_start(&tx, 9, len);
	while (!vascend_hdc_tx_done(&tx)) {
		off = vascend_hdc_tx_next(&tx, pm, &h);
		n++;
		KUNIT_ASSERT_EQ(test, off, sum);
		KUNIT_ASSERT_EQ(test, h.session, 9);
		KUNIT_ASSERT_EQ(test, h.type, VASCEND_HDC_MSG_DATA);
		KUNIT_ASSERT_EQ(test, !!(h.flags & F_FIRST), n == 1);
		KUNIT_ASSERT_EQ(test, h.total_len, n == 1 ? len : 0);
		KUNIT_ASSERT_EQ(test, !!(h.flags & F_LAST), off + h.len == len);
		KUNIT_ASSERT_TRUE(test, h.len >= 1 && h.len <= pm);
		/* Only the last fragment may be short. */
		if (!(h.flags & F_LAST))
			KUNIT_ASSERT_EQ(test, h.len, pm);
		KUNIT_ASSERT_FALSE(test, h.arg || h.credits || h.rsvd);
		KUNIT_ASSERT_EQ(test, vascend_hdc_d2h_check(&h, pm, &(const char *){ NULL }),
				0);
		sum += h.len;

		/* The other side takes it back apart, offset for offset. */
		KUNIT_ASSERT_EQ(test, res, VASCEND_HDC_RX_MORE);
		res = vascend_hdc_rx_frag(&rx, &h, &rx_off);
		KUNIT_ASSERT_EQ(test, rx_off, off);
	}
	KUNIT_EXPECT_EQ(test, sum, len);
	KUNIT_EXPECT_EQ(test, n, vascend_hdc_frag_count(len, pm));
	KUNIT_EXPECT_EQ(test, res, VASCEND_HDC_RX_DONE);
	KUNIT_EXPECT_FALSE(test, rx.open);
}

static void hdc_fragment_sizes(struct kunit *test)
{
	static const u32 fixed[] = { 1, 2, 31, 32, 33, 1000, 4063, 4064, 4065,
				     8128, 8129, 65503, 65504, 65505,
				     5U << 20, (5U << 20) + 1, MAX_MSG - 1,
				     MAX_MSG };
	struct rnd_state rnd;
	unsigned int s, i;
	u32 pm;

	prandom_seed_state(&rnd, 7);
	for (s = 0; s < ARRAY_SIZE(slot_sizes); s++) {
		pm = slot_sizes[s] - HDR;
		for (i = 0; i < ARRAY_SIZE(fixed); i++)
			check_fragments(test, fixed[i], slot_sizes[s]);
		/* Around multiples of the payload. */
		for (i = 1; i <= 4; i++) {
			check_fragments(test, i * pm - 1, slot_sizes[s]);
			check_fragments(test, i * pm, slot_sizes[s]);
			check_fragments(test, i * pm + 1, slot_sizes[s]);
		}
		for (i = 0; i < 16; i++)
			check_fragments(test, 1 + prandom_u32_state(&rnd) % (1U << 20),
					slot_sizes[s]);
	}
	KUNIT_EXPECT_EQ(test, vascend_hdc_frag_count(1, 224), 1);
	KUNIT_EXPECT_EQ(test, vascend_hdc_frag_count(224, 224), 1);
	KUNIT_EXPECT_EQ(test, vascend_hdc_frag_count(225, 224), 2);
	KUNIT_EXPECT_EQ(test, vascend_hdc_frag_count(MAX_MSG, 224), 74899);
}

KUNIT_DEFINE_ACTION_WRAPPER(hdc_vfree, vfree, const void *);

static u8 *hdc_vzalloc(struct kunit *test, size_t size)
{
	u8 *p = vzalloc(size);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, hdc_vfree, p), 0);
	return p;
}

/*
 * Two sessions' messages cut into 256-byte slots and fed to the other side
 * interleaved slot by slot (as a ring carries them), the bytes copied
 * through the offsets: each message comes out whole and unchanged.
 */
static void hdc_interleaved_roundtrip(struct kunit *test)
{
	const u32 pm = VASCEND_HDC_MIN_SLOT - HDR, len[2] = { 70001, 1234 };
	struct vascend_hdc_rx rx[2] = {};
	struct vascend_hdc_tx tx[2];
	struct vascend_hdc_msg_hdr h;
	enum vascend_hdc_rx_result res;
	u8 *src[2], *dst[2];
	unsigned int k, turn = 0, done = 0;
	u32 off, rx_off, i;

	for (k = 0; k < 2; k++) {
		src[k] = hdc_vzalloc(test, len[k]);
		dst[k] = hdc_vzalloc(test, len[k]);
		for (i = 0; i < len[k]; i++)
			src[k][i] = (u8)(i * 7 + k + (i >> 8));
		vascend_hdc_tx_start(&tx[k], k + 1, len[k]);
	}
	while (done != 3) {
		k = turn++ % 2;
		if (vascend_hdc_tx_done(&tx[k]))
			continue;
		off = vascend_hdc_tx_next(&tx[k], pm, &h);
		res = vascend_hdc_rx_frag(&rx[h.session - 1], &h, &rx_off);
		KUNIT_ASSERT_TRUE(test,
				  res == VASCEND_HDC_RX_MORE || res == VASCEND_HDC_RX_DONE);
		memcpy(dst[k] + rx_off, src[k] + off, h.len);
		if (res == VASCEND_HDC_RX_DONE)
			done |= 1U << k;
	}
	for (k = 0; k < 2; k++)
		KUNIT_EXPECT_MEMEQ(test, dst[k], src[k], len[k]);
}

/**
 * struct rx_case - a sequence of fragments ending in a reassembly error
 * @name: parameter name
 * @frags: the fragments (flags, len, total_len), first to last
 * @n: fragments in @frags
 * @want: vascend_hdc_rx_frag()'s result for the last one; every earlier one
 *	must be accepted
 * @reason: the CLOSE reason the error maps to
 */
struct rx_case {
	const char *name;
	struct { u16 flags; u32 len, total; } frags[4];
	unsigned int n;
	enum vascend_hdc_rx_result want;
	u32 reason;
};

#define FR(f, l, t)	{ .flags = (f), .len = (l), .total = (t) }
#define RXERR(x)	VASCEND_HDC_RX_ERR_##x
#define PROTO		VASCEND_HDC_ERR_PROTOCOL

static const struct rx_case rx_cases[] = {
	{ "first_while_open", { FR(F_FIRST, 10, 30), FR(F_FIRST, 10, 30) }, 2,
	  RXERR(FIRST_OPEN), PROTO },
	{ "duplicate_first_single", { FR(F_FIRST, 10, 20),
				      FR(F_FIRST | F_LAST, 10, 10) }, 2,
	  RXERR(FIRST_OPEN), PROTO },
	{ "middle_without_first", { FR(0, 10, 0) }, 1, RXERR(NO_FIRST), PROTO },
	{ "last_without_first", { FR(F_LAST, 10, 0) }, 1, RXERR(NO_FIRST),
	  PROTO },
	{ "duplicate_last", { FR(F_FIRST, 10, 20), FR(F_LAST, 10, 0),
			      FR(F_LAST, 10, 0) }, 3, RXERR(NO_FIRST), PROTO },
	{ "fragment_after_single", { FR(F_FIRST | F_LAST, 5, 5), FR(0, 5, 0) },
	  2, RXERR(NO_FIRST), PROTO },
	{ "total_len_on_middle", { FR(F_FIRST, 10, 30), FR(0, 10, 30) }, 2,
	  RXERR(TOTAL_LEN), PROTO },
	{ "total_len_on_last", { FR(F_FIRST, 10, 20), FR(F_LAST, 10, 20) }, 2,
	  RXERR(TOTAL_LEN), PROTO },
	{ "total_len_zero", { FR(F_FIRST, 10, 0) }, 1, RXERR(TOTAL_LEN), PROTO },
	{ "total_len_too_big", { FR(F_FIRST, 10, MAX_MSG + 1) }, 1,
	  RXERR(TOO_BIG), VASCEND_HDC_ERR_TOO_BIG },
	{ "total_len_u32_max", { FR(F_FIRST | F_LAST, 10, U32_MAX) }, 1,
	  RXERR(TOO_BIG), VASCEND_HDC_ERR_TOO_BIG },
	{ "first_overruns", { FR(F_FIRST, 11, 10) }, 1, RXERR(OVERRUN), PROTO },
	{ "middle_overruns", { FR(F_FIRST, 10, 25), FR(0, 10, 0),
			       FR(0, 10, 0) }, 3, RXERR(OVERRUN), PROTO },
	{ "last_overruns", { FR(F_FIRST, 10, 15), FR(F_LAST, 10, 0) }, 2,
	  RXERR(OVERRUN), PROTO },
	{ "single_short", { FR(F_FIRST | F_LAST, 9, 10) }, 1, RXERR(EARLY_LAST),
	  PROTO },
	{ "last_early", { FR(F_FIRST, 10, 40), FR(F_LAST, 10, 0) }, 2,
	  RXERR(EARLY_LAST), PROTO },
	{ "last_before_middle", { FR(F_FIRST, 10, 30), FR(F_LAST, 10, 0),
				  FR(0, 10, 0) }, 2, RXERR(EARLY_LAST), PROTO },
	{ "complete_without_last", { FR(F_FIRST, 10, 20), FR(0, 10, 0) }, 2,
	  RXERR(NO_LAST), PROTO },
	{ "first_fills_without_last", { FR(F_FIRST, 10, 10) }, 1, RXERR(NO_LAST),
	  PROTO },
};

static void rx_case_desc(const struct rx_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rx_case, rx_cases, rx_case_desc);

static void hdc_rx_errors(struct kunit *test)
{
	const struct rx_case *c = test->param_value;
	struct vascend_hdc_msg_hdr h;
	struct vascend_hdc_rx rx = {};
	enum vascend_hdc_rx_result res = VASCEND_HDC_RX_MORE;
	unsigned int i;
	u32 off = 0xdead;

	for (i = 0; i < c->n; i++) {
		memset(&h, 0, sizeof(h));
		h.session = 3;
		h.type = VASCEND_HDC_MSG_DATA;
		h.flags = c->frags[i].flags;
		h.len = c->frags[i].len;
		h.total_len = c->frags[i].total;
		res = vascend_hdc_rx_frag(&rx, &h, &off);
		if (i + 1 < c->n)
			KUNIT_ASSERT_TRUE_MSG(test, res == VASCEND_HDC_RX_MORE ||
					      res == VASCEND_HDC_RX_DONE,
					      "fragment %u: %s", i,
					      vascend_hdc_rx_err_name(res));
	}
	KUNIT_EXPECT_EQ(test, res, c->want);
	KUNIT_EXPECT_EQ(test, vascend_hdc_rx_err_reason(res), c->reason);
	/* The message is dropped: the state accepts nothing half-done. */
	KUNIT_EXPECT_FALSE(test, rx.open);
	memset(&h, 0, sizeof(h));
	h.type = VASCEND_HDC_MSG_DATA;
	h.len = 1;
	KUNIT_EXPECT_EQ(test, vascend_hdc_rx_frag(&rx, &h, &off),
			VASCEND_HDC_RX_ERR_NO_FIRST);
}

static void hdc_rx_edges(struct kunit *test)
{
	struct vascend_hdc_msg_hdr h = { .session = 1,
					 .type = VASCEND_HDC_MSG_DATA };
	struct vascend_hdc_rx rx = {};
	u32 off = 1;

	/* A whole 16 MiB message in one (imaginary) slot. */
	h.flags = F_FIRST | F_LAST;
	h.len = MAX_MSG;
	h.total_len = MAX_MSG;
	KUNIT_EXPECT_EQ(test, vascend_hdc_rx_frag(&rx, &h, &off),
			VASCEND_HDC_RX_DONE);
	KUNIT_EXPECT_EQ(test, off, 0);

	/* Back to back messages reuse the state. */
	h.len = 1;
	h.total_len = 1;
	KUNIT_EXPECT_EQ(test, vascend_hdc_rx_frag(&rx, &h, &off),
			VASCEND_HDC_RX_DONE);
	h.flags = F_FIRST;
	h.len = 1;
	h.total_len = 2;
	KUNIT_EXPECT_EQ(test, vascend_hdc_rx_frag(&rx, &h, &off),
			VASCEND_HDC_RX_MORE);
	KUNIT_EXPECT_EQ(test, off, 0);
	h.flags = F_LAST;
	h.total_len = 0;
	KUNIT_EXPECT_EQ(test, vascend_hdc_rx_frag(&rx, &h, &off),
			VASCEND_HDC_RX_DONE);
	KUNIT_EXPECT_EQ(test, off, 1);

	/* A huge len cannot wrap the position past total_len. */
	h.flags = F_FIRST;
	h.len = 8;
	h.total_len = 16;
	KUNIT_EXPECT_EQ(test, vascend_hdc_rx_frag(&rx, &h, &off),
			VASCEND_HDC_RX_MORE);
	h.flags = 0;
	h.total_len = 0;
	h.len = U32_MAX - 3;
	KUNIT_EXPECT_EQ(test, vascend_hdc_rx_frag(&rx, &h, &off),
			VASCEND_HDC_RX_ERR_OVERRUN);
}

/* ---- credits ---- */

static void hdc_credits_tx(struct kunit *test)
{
	struct vascend_hdc_credits c;
	unsigned int i;

	vascend_hdc_credits_init(&c, 4);
	KUNIT_EXPECT_EQ(test, c.tx, 0);
	KUNIT_EXPECT_FALSE(test, vascend_hdc_credits_spend(&c));

	/* ACCEPT of 8 (echo): 8 messages, then wait. */
	KUNIT_EXPECT_EQ(test, vascend_hdc_credits_grant(&c, 8), 0);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_TRUE(test, vascend_hdc_credits_spend(&c));
	KUNIT_EXPECT_FALSE(test, vascend_hdc_credits_spend(&c));
	KUNIT_EXPECT_EQ(test, c.tx, 0);

	/* A message that never went out gives its credit back. */
	KUNIT_EXPECT_EQ(test, vascend_hdc_credits_grant(&c, 1), 0);
	KUNIT_EXPECT_TRUE(test, vascend_hdc_credits_spend(&c));
	vascend_hdc_credits_refund(&c);
	KUNIT_EXPECT_EQ(test, c.tx, 1);

	/* Up to the limit, never past it, never wrapping. */
	KUNIT_EXPECT_EQ(test, vascend_hdc_credits_grant(&c, VASCEND_HDC_MAX_CREDITS),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, c.tx, 1);
	KUNIT_EXPECT_EQ(test, vascend_hdc_credits_grant(&c, VASCEND_HDC_MAX_CREDITS - 1),
			0);
	KUNIT_EXPECT_EQ(test, c.tx, VASCEND_HDC_MAX_CREDITS);
	KUNIT_EXPECT_EQ(test, vascend_hdc_credits_grant(&c, 1), -EPROTO);
	KUNIT_EXPECT_EQ(test, vascend_hdc_credits_grant(&c, U32_MAX), -EPROTO);
	KUNIT_EXPECT_EQ(test, c.tx, VASCEND_HDC_MAX_CREDITS);
	/* The receive side is untouched by all this. */
	KUNIT_EXPECT_EQ(test, c.rx_granted, 4);
}

static void hdc_credits_rx(struct kunit *test)
{
	struct vascend_hdc_credits c;
	unsigned int i;

	vascend_hdc_credits_init(&c, 4);
	KUNIT_EXPECT_EQ(test, c.rx_granted, 4);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_TRUE(test, vascend_hdc_credits_rx_start(&c));
	/* A fifth message without a credit is the device's violation. */
	KUNIT_EXPECT_FALSE(test, vascend_hdc_credits_rx_start(&c));
	KUNIT_EXPECT_EQ(test, c.rx_held, 4);

	KUNIT_EXPECT_EQ(test, vascend_hdc_credits_rx_return(&c), 0);
	vascend_hdc_credits_rx_consumed(&c);
	vascend_hdc_credits_rx_consumed(&c);
	KUNIT_EXPECT_EQ(test, c.rx_owed, 2);
	KUNIT_EXPECT_FALSE(test, vascend_hdc_credits_rx_start(&c));
	KUNIT_EXPECT_EQ(test, vascend_hdc_credits_rx_return(&c), 2);
	KUNIT_EXPECT_EQ(test, c.rx_owed, 0);
	KUNIT_EXPECT_TRUE(test, vascend_hdc_credits_rx_start(&c));
	KUNIT_EXPECT_TRUE(test, vascend_hdc_credits_rx_start(&c));
	KUNIT_EXPECT_FALSE(test, vascend_hdc_credits_rx_start(&c));
}

/*
 * Random traffic against a model: the device starts messages while it
 * holds credits, the reader consumes them, CREDITs go back now and then.
 * The device can never get the host to hold more than the window.
 */
static void hdc_credits_model(struct kunit *test)
{
	struct vascend_hdc_credits c;
	u32 dev_holds = 3, in_flight = 0, i;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, 1234);
	vascend_hdc_credits_init(&c, 3);
	for (i = 0; i < 100000; i++) {
		switch (prandom_u32_state(&rnd) % 3) {
		case 0:	/* the device starts a message if it may */
			KUNIT_ASSERT_EQ(test, vascend_hdc_credits_rx_start(&c),
					dev_holds > 0);
			if (dev_holds) {
				dev_holds--;
				in_flight++;
			}
			break;
		case 1:	/* the reader consumes one */
			if (in_flight) {
				vascend_hdc_credits_rx_consumed(&c);
				in_flight--;
			}
			break;
		default:	/* a CREDIT goes out */
			dev_holds += vascend_hdc_credits_rx_return(&c);
			break;
		}
		KUNIT_ASSERT_EQ(test, c.rx_granted + c.rx_held + c.rx_owed,
				c.rx_window);
		KUNIT_ASSERT_EQ(test, c.rx_granted, dev_holds);
		KUNIT_ASSERT_EQ(test, c.rx_held, in_flight);
		KUNIT_ASSERT_LE(test, in_flight, 3);
	}
}

static struct kunit_case vascend_hdc_frame_cases[] = {
	KUNIT_CASE(hdc_ring_math),
	KUNIT_CASE(hdc_index_in),
	KUNIT_CASE(hdc_ring_wrap_model),
	KUNIT_CASE(hdc_hdr_builders),
	KUNIT_CASE_PARAM(hdc_d2h_check, d2h_case_gen_params),
	KUNIT_CASE(hdc_fragment_sizes),
	KUNIT_CASE(hdc_interleaved_roundtrip),
	KUNIT_CASE_PARAM(hdc_rx_errors, rx_case_gen_params),
	KUNIT_CASE(hdc_rx_edges),
	KUNIT_CASE(hdc_credits_tx),
	KUNIT_CASE(hdc_credits_rx),
	KUNIT_CASE(hdc_credits_model),
	{}
};

static struct kunit_suite vascend_hdc_frame_suite = {
	.name = "vascend_hdc_frame",
	.test_cases = vascend_hdc_frame_cases,
};

kunit_test_suite(vascend_hdc_frame_suite);
