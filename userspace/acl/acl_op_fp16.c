// SPDX-License-Identifier: MIT
/*
 * aclFloat16ToFloat / aclFloatToFloat16: IEEE binary16 conversions, exact
 * one way, round to nearest even the other, with infinities and NaNs kept
 * (a NaN stays a quiet NaN with its sign). Plain integer code: no F16C
 * needed on the host.
 */
#include <string.h>

#include "acl/acl.h"

static uint32_t f32_bits(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return u;
}

static float bits_f32(uint32_t u)
{
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

ACL_FUNC_VISIBILITY float aclFloat16ToFloat(aclFloat16 value)
{
	uint32_t sign = (uint32_t)(value & 0x8000) << 16;
	uint32_t exp = (value >> 10) & 0x1f;
	uint32_t man = value & 0x3ff;

	if (exp == 0x1f)		/* inf, NaN */
		return bits_f32(sign | 0x7f800000u | man << 13);
	if (exp == 0) {
		if (!man)
			return bits_f32(sign);
		/* subnormal: normalise into binary32's range */
		exp = 127 - 15 + 1;
		while (!(man & 0x400)) {
			man <<= 1;
			exp--;
		}
		return bits_f32(sign | exp << 23 | (man & 0x3ff) << 13);
	}
	return bits_f32(sign | (exp + 127 - 15) << 23 | man << 13);
}

ACL_FUNC_VISIBILITY aclFloat16 aclFloatToFloat16(float value)
{
	uint32_t u = f32_bits(value);
	uint16_t sign = (uint16_t)((u >> 16) & 0x8000);
	int32_t exp = (int32_t)((u >> 23) & 0xff) - 127 + 15;
	uint32_t man = u & 0x7fffff;
	uint32_t half, rest, shift;

	if (((u >> 23) & 0xff) == 0xff)	/* inf, NaN (kept quiet) */
		return sign | 0x7c00 | (man ? 0x200 | (uint16_t)(man >> 13) : 0);
	if (exp >= 0x1f)		/* overflow: inf */
		return sign | 0x7c00;
	if (exp <= 0) {
		/* subnormal or zero: shift the implicit 1 in, round to nearest even */
		if (exp < -10)
			return sign;
		man |= 0x800000;
		shift = (uint32_t)(14 - exp);
		half = man >> shift;
		rest = man & ((1u << shift) - 1);
		if (rest > (1u << (shift - 1)) || (rest == (1u << (shift - 1)) && (half & 1)))
			half++;
		return sign | (uint16_t)half;
	}
	half = (uint32_t)exp << 10 | man >> 13;
	rest = man & 0x1fff;
	/* a carry out of the mantissa correctly bumps the exponent (up to inf) */
	if (rest > 0x1000 || (rest == 0x1000 && (half & 1)))
		half++;
	return sign | (uint16_t)half;
}
