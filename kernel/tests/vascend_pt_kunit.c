// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the device page-table builder (vascend_pt.c): entries as
 * the card reads them (4 KiB and 2 MiB leaves, HBM and host targets, WRITE),
 * tables allocated and freed as ranges come and go, what an unmap reports
 * for the TLB invalidation, and every argument rule. Table pages come from
 * kmalloc here, at made-up bus addresses; the suite counts them for leaks.
 */

#include <kunit/test.h>
#include <linux/slab.h>

#include <uapi/vascend_mmu_hw.h>

#include "vascend_pt.h"

#define SZ4K	VASCEND_PAGE_SIZE
#define SZ2M	VASCEND_LARGE_PAGE_SIZE
#define SZ1G	BIT_ULL(30)

/* The fake allocator: kmalloc pages at bus addresses from 1 TiB up. */
struct pt_env {
	struct vascend_pt pt;
	int live;		/* pages allocated and not freed */
	u64 next_bus;
	bool fail;		/* the next allocation fails */
};

static int env_alloc(void *priv, struct vascend_pt_page *page)
{
	struct pt_env *env = priv;

	if (env->fail)
		return -ENOMEM;
	page->cpu = kzalloc(SZ4K, GFP_KERNEL);
	if (!page->cpu)
		return -ENOMEM;
	page->bus = env->next_bus;
	env->next_bus += SZ4K;
	env->live++;
	return 0;
}

static void env_free(void *priv, struct vascend_pt_page *page)
{
	struct pt_env *env = priv;

	kfree(page->cpu);
	env->live--;
}

static const struct vascend_pt_alloc_ops env_ops = {
	.alloc = env_alloc,
	.free = env_free,
};

static struct pt_env *env_new(struct kunit *test)
{
	struct pt_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, env);
	env->next_bus = 1ULL << 40;
	KUNIT_ASSERT_EQ(test, vascend_pt_init(&env->pt, &env_ops, env), 0);
	return env;
}

static void env_done(struct kunit *test, struct pt_env *env)
{
	vascend_pt_fini(&env->pt);
	KUNIT_EXPECT_EQ(test, env->live, 0);
}

/* Fill a cache for the range, map it, drain the rest. */
static int map(struct pt_env *env, u64 va, u64 addr, u64 size,
	       unsigned int flags)
{
	struct vascend_pt_cache cache;
	int ret;

	vascend_pt_cache_init(&cache);
	ret = vascend_pt_cache_fill(&env->pt, &cache, va, size,
				    VASCEND_PAGE_SHIFT);
	if (!ret)
		ret = vascend_pt_map(&env->pt, &cache, va, addr, size, flags);
	vascend_pt_cache_drain(&env->pt, &cache);
	return ret;
}

static u64 leaf(struct pt_env *env, u64 va, unsigned int *level)
{
	return vascend_pt_lookup(&env->pt, va, level);
}

static void pt_test_empty(struct kunit *test)
{
	struct pt_env *env = env_new(test);

	KUNIT_EXPECT_EQ(test, env->pt.tables, 1ULL);
	KUNIT_EXPECT_EQ(test, env->live, 1);
	KUNIT_EXPECT_EQ(test, vascend_pt_root_bus(&env->pt), 1ULL << 40);
	KUNIT_EXPECT_EQ(test, leaf(env, 0, NULL), 0ULL);
	KUNIT_EXPECT_EQ(test, leaf(env, 0x7fff00000000ULL, NULL), 0ULL);
	env_done(test, env);
}

static void pt_test_host_4k(struct kunit *test)
{
	struct pt_env *env = env_new(test);
	u64 va = 0x7f1234567000ULL, addr = 0x12345000ULL;
	unsigned int need[3], level = 9;

	KUNIT_ASSERT_EQ(test, vascend_pt_tables_needed(&env->pt, va, SZ4K,
						       VASCEND_PAGE_SHIFT, need), 0);
	KUNIT_EXPECT_EQ(test, need[0], 1U);
	KUNIT_EXPECT_EQ(test, need[1], 1U);
	KUNIT_EXPECT_EQ(test, need[2], 1U);
	KUNIT_ASSERT_EQ(test, map(env, va, addr, SZ4K, VASCEND_PT_WRITE), 0);
	KUNIT_EXPECT_EQ(test, leaf(env, va, &level),
			addr | VASCEND_PTE_VALID | VASCEND_PTE_WRITE);
	KUNIT_EXPECT_EQ(test, level, 0U);
	KUNIT_EXPECT_EQ(test, leaf(env, va + SZ4K, NULL), 0ULL);
	KUNIT_EXPECT_EQ(test, leaf(env, va - SZ4K, NULL), 0ULL);
	KUNIT_EXPECT_EQ(test, env->pt.tables, 4ULL);
	KUNIT_EXPECT_EQ(test, env->live, 4);
	/* The root's entry points at the level-2 table, VALID only. */
	KUNIT_EXPECT_EQ(test, env->pt.root->page.cpu[VASCEND_PT_INDEX(va, 3)] &
			~VASCEND_PTE_ADDR_MASK, VASCEND_PTE_VALID);
	KUNIT_ASSERT_EQ(test, vascend_pt_tables_needed(&env->pt, va + SZ4K, SZ4K,
						       VASCEND_PAGE_SHIFT, need), 0);
	KUNIT_EXPECT_EQ(test, need[0] + need[1] + need[2], 0U);
	env_done(test, env);
}

static void pt_test_hbm_2m(struct kunit *test)
{
	struct pt_env *env = env_new(test);
	struct vascend_pt_cache cache;
	u64 va = 0x7f0000200000ULL;
	unsigned int level = 9;

	vascend_pt_cache_init(&cache);
	KUNIT_ASSERT_EQ(test, vascend_pt_cache_fill(&env->pt, &cache, va, 2 * SZ2M,
						    VASCEND_LARGE_PAGE_SHIFT), 0);
	KUNIT_EXPECT_EQ(test, cache.count[0], 0U);
	KUNIT_EXPECT_EQ(test, cache.count[1], 1U);
	KUNIT_EXPECT_EQ(test, cache.count[2], 1U);
	KUNIT_ASSERT_EQ(test, vascend_pt_map(&env->pt, &cache, va, 4 * SZ2M,
					     2 * SZ2M, VASCEND_PT_HBM |
					     VASCEND_PT_LARGE), 0);
	KUNIT_EXPECT_EQ(test, cache.count[1] + cache.count[2], 0U);
	vascend_pt_cache_drain(&env->pt, &cache);
	KUNIT_EXPECT_EQ(test, leaf(env, va + 12345, &level),
			4 * SZ2M | VASCEND_PTE_VALID | VASCEND_PTE_LARGE |
			VASCEND_PTE_HBM);
	KUNIT_EXPECT_EQ(test, level, 1U);
	KUNIT_EXPECT_EQ(test, leaf(env, va + SZ2M, NULL),
			5 * SZ2M | VASCEND_PTE_VALID | VASCEND_PTE_LARGE |
			VASCEND_PTE_HBM);
	KUNIT_EXPECT_EQ(test, env->pt.tables, 3ULL);
	env_done(test, env);
}

/* LARGE only where VA and target are both 2 MiB aligned. */
static void pt_test_large_fallback(struct kunit *test)
{
	struct pt_env *env = env_new(test);
	u64 va = 0x40000000ULL;
	unsigned int level;

	/* Target off by 4 KiB: 4 KiB leaves all through. */
	KUNIT_ASSERT_EQ(test, map(env, va, SZ2M + SZ4K, SZ2M,
				  VASCEND_PT_LARGE | VASCEND_PT_WRITE), 0);
	leaf(env, va, &level);
	KUNIT_EXPECT_EQ(test, level, 0U);
	KUNIT_EXPECT_EQ(test, leaf(env, va + SZ2M - SZ4K, NULL),
			(2 * SZ2M) | VASCEND_PTE_VALID | VASCEND_PTE_WRITE);
	/* 4 KiB before a 2 MiB boundary, then a whole 2 MiB: 4K + large. */
	KUNIT_ASSERT_EQ(test, map(env, va + 2 * SZ2M - SZ4K, 8 * SZ2M - SZ4K,
				  SZ2M + SZ4K, VASCEND_PT_LARGE), 0);
	leaf(env, va + 2 * SZ2M - SZ4K, &level);
	KUNIT_EXPECT_EQ(test, level, 0U);
	KUNIT_EXPECT_EQ(test, leaf(env, va + 2 * SZ2M, &level),
			8 * SZ2M | VASCEND_PTE_VALID | VASCEND_PTE_LARGE);
	KUNIT_EXPECT_EQ(test, level, 1U);
	env_done(test, env);
}

static void pt_test_exists_rolls_back(struct kunit *test)
{
	struct pt_env *env = env_new(test);
	u64 va = 0x100000000ULL;

	KUNIT_ASSERT_EQ(test, map(env, va + 4 * SZ4K, 0x1000000, SZ4K, 0), 0);
	/* Runs into the page mapped above: nothing of it may stay. */
	KUNIT_EXPECT_EQ(test, map(env, va, 0x2000000, 8 * SZ4K, 0), -EEXIST);
	KUNIT_EXPECT_EQ(test, leaf(env, va, NULL), 0ULL);
	KUNIT_EXPECT_EQ(test, leaf(env, va + 3 * SZ4K, NULL), 0ULL);
	KUNIT_EXPECT_EQ(test, leaf(env, va + 4 * SZ4K, NULL),
			0x1000000ULL | VASCEND_PTE_VALID);
	/* A 4 KiB map inside a 2 MiB leaf. */
	KUNIT_ASSERT_EQ(test, map(env, va + SZ1G, 0, SZ2M, VASCEND_PT_LARGE |
				  VASCEND_PT_HBM), 0);
	KUNIT_EXPECT_EQ(test, map(env, va + SZ1G + SZ4K, 0, SZ4K, 0), -EEXIST);
	env_done(test, env);
}

static void pt_test_unmap_frees(struct kunit *test)
{
	struct pt_env *env = env_new(test);
	struct vascend_pt_span span;
	u64 va = SZ1G - 2 * SZ4K;	/* crosses a 1 GiB boundary */
	unsigned int need[3];
	LIST_HEAD(unlinked);

	KUNIT_ASSERT_EQ(test, vascend_pt_tables_needed(&env->pt, va, 4 * SZ4K,
						       VASCEND_PAGE_SHIFT, need), 0);
	KUNIT_EXPECT_EQ(test, need[0], 2U);
	KUNIT_EXPECT_EQ(test, need[1], 2U);
	KUNIT_EXPECT_EQ(test, need[2], 1U);
	KUNIT_ASSERT_EQ(test, map(env, va, 0x40000000, 4 * SZ4K, 0), 0);
	KUNIT_EXPECT_EQ(test, env->pt.tables, 6ULL);

	/* Part of it: the first level-0 table empties and goes. */
	vascend_pt_unmap(&env->pt, va, 2 * SZ4K, &unlinked, &span);
	KUNIT_EXPECT_EQ(test, span.start, va);
	KUNIT_EXPECT_EQ(test, span.end, va + 2 * SZ4K);
	KUNIT_EXPECT_EQ(test, span.bytes, 2 * SZ4K);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&unlinked), (size_t)2);
	KUNIT_EXPECT_EQ(test, env->pt.tables, 4ULL);
	vascend_pt_free_tables(&env->pt, &unlinked);
	KUNIT_EXPECT_TRUE(test, list_empty(&unlinked));
	KUNIT_EXPECT_EQ(test, env->live, 4);

	vascend_pt_unmap(&env->pt, 0, 1ULL << 48, &unlinked, &span);
	KUNIT_EXPECT_EQ(test, span.start, SZ1G);
	KUNIT_EXPECT_EQ(test, span.end, SZ1G + 2 * SZ4K);
	vascend_pt_free_tables(&env->pt, &unlinked);
	KUNIT_EXPECT_EQ(test, env->pt.tables, 1ULL);
	KUNIT_EXPECT_EQ(test, env->live, 1);
	env_done(test, env);
}

static void pt_test_unmap_keeps_tables(struct kunit *test)
{
	struct pt_env *env = env_new(test);
	struct vascend_pt_span span;
	u64 va = 0x7f0000000000ULL;
	unsigned int level;

	KUNIT_ASSERT_EQ(test, map(env, va, 0x1000, 16 * SZ4K, 0), 0);
	/* The MMU notifier's way: no table may be freed. */
	vascend_pt_unmap(&env->pt, va, 16 * SZ4K, NULL, &span);
	KUNIT_EXPECT_EQ(test, span.bytes, 16 * SZ4K);
	KUNIT_EXPECT_EQ(test, env->pt.tables, 4ULL);
	KUNIT_EXPECT_EQ(test, leaf(env, va, NULL), 0ULL);
	/* Nothing mapped: nothing to invalidate. */
	vascend_pt_unmap(&env->pt, va, 16 * SZ4K, NULL, &span);
	KUNIT_EXPECT_EQ(test, span.start, span.end);
	/* A LARGE map over a slot that holds an empty table: 4 KiB leaves. */
	KUNIT_ASSERT_EQ(test, map(env, va, 0, SZ2M, VASCEND_PT_LARGE |
				  VASCEND_PT_HBM), 0);
	leaf(env, va + SZ2M - 1, &level);
	KUNIT_EXPECT_EQ(test, level, 0U);
	env_done(test, env);
}

static void pt_test_partial_large(struct kunit *test)
{
	struct pt_env *env = env_new(test);
	struct vascend_pt_span span;
	u64 va = 0x80000000ULL;

	KUNIT_ASSERT_EQ(test, map(env, va, 0, SZ2M, VASCEND_PT_LARGE |
				  VASCEND_PT_HBM | VASCEND_PT_WRITE), 0);
	/* One page of a 2 MiB leaf: the whole leaf goes, and is reported. */
	vascend_pt_unmap(&env->pt, va + SZ4K, SZ4K, NULL, &span);
	KUNIT_EXPECT_EQ(test, span.start, va);
	KUNIT_EXPECT_EQ(test, span.end, va + SZ2M);
	KUNIT_EXPECT_EQ(test, leaf(env, va, NULL), 0ULL);
	env_done(test, env);
}

static void pt_test_bad_args(struct kunit *test)
{
	struct pt_env *env = env_new(test);
	unsigned int need[3];

	KUNIT_EXPECT_EQ(test, map(env, 0x1001, 0, SZ4K, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, map(env, 0x1000, 0x10, SZ4K, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, map(env, 0x1000, 0, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, map(env, 0x1000, 0, 100, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, map(env, (1ULL << 48) - SZ4K, 0, 2 * SZ4K, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, map(env, 0x1000, 1ULL << 52, SZ4K, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, map(env, 0x1000, (1ULL << 52) - SZ4K, 2 * SZ4K, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, map(env, 0x1000, 0, SZ4K, BIT(7)), -EINVAL);
	KUNIT_EXPECT_EQ(test, vascend_pt_tables_needed(&env->pt, SZ4K, SZ2M,
						       VASCEND_LARGE_PAGE_SHIFT,
						       need), -EINVAL);
	KUNIT_EXPECT_EQ(test, vascend_pt_tables_needed(&env->pt, 0, SZ4K, 13,
						       need), -EINVAL);
	KUNIT_EXPECT_EQ(test, env->pt.tables, 1ULL);
	/* The allocator failing: the cache keeps what it got, nothing leaks. */
	env->fail = true;
	KUNIT_EXPECT_EQ(test, map(env, 0x1000, 0, SZ4K, 0), -ENOMEM);
	env->fail = false;
	env_done(test, env);
}

static struct kunit_case vascend_pt_cases[] = {
	KUNIT_CASE(pt_test_empty),
	KUNIT_CASE(pt_test_host_4k),
	KUNIT_CASE(pt_test_hbm_2m),
	KUNIT_CASE(pt_test_large_fallback),
	KUNIT_CASE(pt_test_exists_rolls_back),
	KUNIT_CASE(pt_test_unmap_frees),
	KUNIT_CASE(pt_test_unmap_keeps_tables),
	KUNIT_CASE(pt_test_partial_large),
	KUNIT_CASE(pt_test_bad_args),
	{}
};

static struct kunit_suite vascend_pt_suite = {
	.name = "vascend_pt",
	.test_cases = vascend_pt_cases,
};

kunit_test_suite(vascend_pt_suite);
