/*
 * test_freespace.c - the free-space allocator: fit policies, list orders,
 * splitting, coalescing, fragmentation numbers, and errors.
 *
 * Most tests start from the same fragmented heap (OSTEP ch. 17's
 * picture): a 100-byte heap at 0 carved into ten 10-byte chunks, then
 * chunks freed so that the free list holds holes of different sizes.
 */
#include "unit.h"

#include "vmlab/freespace.h"

/* Expect the free list to be exactly the (addr, size) pairs given. */
#define CHECK_LIST(h, ...)                                                   \
	do {                                                                 \
		const uint64_t want_[] = { __VA_ARGS__ };                    \
		check_list((h), want_, sizeof(want_) / sizeof(want_[0]),     \
			   __LINE__);                                        \
	} while (0)

static void check_list(const struct fs_heap *h, const uint64_t *want,
		       size_t nwant, int line)
{
	size_t n;
	const struct fs_chunk *c = fs_free_list(h, &n);

	if (n != nwant / 2) {
		unit_fail(__FILE__, line, "free list has %zu chunks, want %zu",
			  n, nwant / 2);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (c[i].addr != want[2 * i] || c[i].size != want[2 * i + 1])
			unit_fail(__FILE__, line, "chunk %zu is [%llu %llu], "
				  "want [%llu %llu]", i,
				  (unsigned long long)c[i].addr,
				  (unsigned long long)c[i].size,
				  (unsigned long long)want[2 * i],
				  (unsigned long long)want[2 * i + 1]);
}

static void check_empty(const struct fs_heap *h, int line)
{
	size_t n;

	fs_free_list(h, &n);
	if (n)
		unit_fail(__FILE__, line, "free list has %zu chunks, want 0", n);
}

/*
 * Allocate chunks of 20, 10, 30, 10, 15, 15 (filling 100 bytes), then free
 * the 20 at 0, the 30 at 30 and the 15 at 70: holes of 20, 30 and 15.
 */
static void holes(struct fs_heap *h, enum fs_fit fit, enum fs_order order,
		  int coalesce)
{
	static const uint64_t sizes[] = { 20, 10, 30, 10, 15, 15 };
	uint64_t addr;

	CHECK_EQ(fs_init(h, 0, 100, fit, order, coalesce), FS_OK);
	for (size_t i = 0; i < 6; i++)
		CHECK_EQ(fs_alloc(h, sizes[i], &addr, NULL), FS_OK);
	check_empty(h, __LINE__);
	CHECK_EQ(fs_free(h, 0, NULL), FS_OK);
	CHECK_EQ(fs_free(h, 30, NULL), FS_OK);
	CHECK_EQ(fs_free(h, 70, NULL), FS_OK);
}

TEST(fs_fit_first_best_worst)
{
	struct fs_heap h;
	uint64_t addr;
	size_t searched;

	holes(&h, FS_FIT_FIRST, FS_ORDER_ADDR, 0);
	CHECK_LIST(&h, 0, 20, 30, 30, 70, 15);
	CHECK_EQ(fs_alloc(&h, 12, &addr, &searched), FS_OK);
	CHECK_EQ(addr, 0);     /* the first that fits */
	CHECK_EQ(searched, 1);
	CHECK_LIST(&h, 12, 8, 30, 30, 70, 15); /* split in place */
	fs_fini(&h);

	holes(&h, FS_FIT_BEST, FS_ORDER_ADDR, 0);
	CHECK_EQ(fs_alloc(&h, 12, &addr, &searched), FS_OK);
	CHECK_EQ(addr, 70);    /* the 15: smallest that fits */
	CHECK_EQ(searched, 3); /* best fit always searches everything */
	fs_fini(&h);

	holes(&h, FS_FIT_WORST, FS_ORDER_ADDR, 0);
	CHECK_EQ(fs_alloc(&h, 12, &addr, &searched), FS_OK);
	CHECK_EQ(addr, 30);    /* the 30: largest */
	CHECK_EQ(searched, 3);
	fs_fini(&h);
}

TEST(fs_fit_ties_and_exact)
{
	struct fs_heap h;
	uint64_t addr;

	/* Two holes of 10 (at 10 and 50): best and worst take the first. */
	CHECK_EQ(fs_init(&h, 0, 60, FS_FIT_BEST, FS_ORDER_ADDR, 0), FS_OK);
	for (int i = 0; i < 6; i++)
		fs_alloc(&h, 10, &addr, NULL);
	fs_free(&h, 10, NULL);
	fs_free(&h, 50, NULL);
	CHECK_EQ(fs_alloc(&h, 5, &addr, NULL), FS_OK);
	CHECK_EQ(addr, 10);
	/* An exact fit removes the chunk from the list. */
	CHECK_EQ(fs_alloc(&h, 10, &addr, NULL), FS_OK);
	CHECK_EQ(addr, 50);
	CHECK_LIST(&h, 15, 5);
	fs_fini(&h);
}

TEST(fs_fit_next_roves)
{
	struct fs_heap h;
	uint64_t addr;
	size_t searched;

	holes(&h, FS_FIT_NEXT, FS_ORDER_ADDR, 0);
	CHECK_EQ(fs_alloc(&h, 5, &addr, &searched), FS_OK);
	CHECK_EQ(addr, 0);
	CHECK_EQ(fs_alloc(&h, 25, &addr, &searched), FS_OK);
	CHECK_EQ(addr, 30);    /* starts at the 15 left at 5, skips it */
	CHECK_EQ(searched, 2);
	CHECK_EQ(fs_alloc(&h, 10, &addr, &searched), FS_OK);
	CHECK_EQ(addr, 70);    /* the 5 left at 55 is too small; on to 70 */
	CHECK_EQ(searched, 2);
	CHECK_EQ(fs_alloc(&h, 5, &addr, &searched), FS_OK);
	CHECK_EQ(addr, 80);    /* first fit would go back to 5 */
	CHECK_EQ(searched, 1);
	/* That was an exact fit of the last chunk: the rover wraps to the
	 * first chunk, where the next search starts. */
	CHECK_LIST(&h, 5, 15, 55, 5);
	CHECK_EQ(h.rover, 0);
	fs_fini(&h);

	/* Free chunks [10 10] [50 3] [80 10]; rover at the first. */
	static const uint64_t sizes[] = { 10, 10, 30, 3, 27, 10, 10 };
	CHECK_EQ(fs_init(&h, 0, 100, FS_FIT_NEXT, FS_ORDER_ADDR, 0), FS_OK);
	for (size_t i = 0; i < 7; i++)
		CHECK_EQ(fs_alloc(&h, sizes[i], &addr, NULL), FS_OK);
	fs_free(&h, 10, NULL);
	fs_free(&h, 50, NULL);
	fs_free(&h, 80, NULL);
	CHECK_LIST(&h, 10, 10, 50, 3, 80, 10);
	CHECK_EQ(fs_alloc(&h, 8, &addr, &searched), FS_OK);
	CHECK_EQ(addr, 10);
	CHECK_EQ(fs_alloc(&h, 3, &addr, &searched), FS_OK);
	CHECK_EQ(addr, 50);    /* exact: the rover moves on to [80 10] */
	CHECK_EQ(searched, 2);
	CHECK_EQ(fs_alloc(&h, 2, &addr, &searched), FS_OK);
	CHECK_EQ(addr, 80);    /* first fit would take [18 2] */
	CHECK_EQ(searched, 1);
	CHECK_EQ(fs_alloc(&h, 9, &addr, &searched), FS_ENOSPACE);
	CHECK_EQ(searched, 2); /* [82 8], then around to [18 2] */
	CHECK_EQ(fs_alloc(&h, 2, &addr, &searched), FS_OK);
	CHECK_EQ(addr, 82);
	/* A free re-sorts the list; the rover stays on its chunk. */
	fs_free(&h, 50, NULL);
	CHECK_LIST(&h, 18, 2, 50, 3, 84, 6);
	CHECK_EQ(h.rover, 2);
	fs_fini(&h);
}

TEST(fs_orders)
{
	struct fs_heap h;

	holes(&h, FS_FIT_FIRST, FS_ORDER_SIZE_UP, 0);
	CHECK_LIST(&h, 70, 15, 0, 20, 30, 30);
	fs_fini(&h);
	holes(&h, FS_FIT_FIRST, FS_ORDER_SIZE_DOWN, 0);
	CHECK_LIST(&h, 30, 30, 0, 20, 70, 15);
	fs_fini(&h);
	holes(&h, FS_FIT_FIRST, FS_ORDER_FRONT, 0);
	CHECK_LIST(&h, 70, 15, 30, 30, 0, 20);
	fs_fini(&h);
	holes(&h, FS_FIT_FIRST, FS_ORDER_BACK, 0);
	CHECK_LIST(&h, 0, 20, 30, 30, 70, 15);
	fs_fini(&h);
}

TEST(fs_size_order_is_stable_and_lazy)
{
	struct fs_heap h;
	uint64_t addr;

	/* SIZESORT+: first fit is best fit. */
	holes(&h, FS_FIT_FIRST, FS_ORDER_SIZE_UP, 0);
	CHECK_EQ(fs_alloc(&h, 12, &addr, NULL), FS_OK);
	CHECK_EQ(addr, 70);
	/* The remainder (3) stays in place, out of order, ... */
	CHECK_LIST(&h, 82, 3, 0, 20, 30, 30);
	CHECK_EQ(fs_alloc(&h, 20, &addr, NULL), FS_OK);
	CHECK_EQ(addr, 0);
	/* ... until a free re-sorts; equal sizes keep their order. */
	CHECK_EQ(fs_free(&h, 0, NULL), FS_OK);
	CHECK_LIST(&h, 82, 3, 0, 20, 30, 30);
	CHECK_EQ(fs_alloc(&h, 27, &addr, NULL), FS_OK); /* 30 -> 3 at 57 */
	CHECK_EQ(fs_free(&h, 70, NULL), FS_OK);         /* the 12 */
	CHECK_LIST(&h, 82, 3, 57, 3, 70, 12, 0, 20);
	fs_fini(&h);
}

TEST(fs_coalesce_neighbours)
{
	struct fs_heap h;
	struct fs_stats st;

	holes(&h, FS_FIT_FIRST, FS_ORDER_ADDR, 1);
	CHECK_LIST(&h, 0, 20, 30, 30, 70, 15);
	/* Freeing the 10 at 20 joins the holes on both sides. */
	CHECK_EQ(fs_free(&h, 20, NULL), FS_OK);
	CHECK_LIST(&h, 0, 60, 70, 15);
	CHECK_EQ(fs_free(&h, 60, NULL), FS_OK);
	CHECK_EQ(fs_free(&h, 85, NULL), FS_OK);
	CHECK_LIST(&h, 0, 100);
	fs_stats(&h, &st);
	CHECK_EQ(st.free_chunks, 1);
	CHECK_EQ(st.used_chunks, 0);
	CHECK(st.ext_frag == 0.0);
	fs_fini(&h);

	/* Neighbours merge whatever the list order. */
	holes(&h, FS_FIT_FIRST, FS_ORDER_FRONT, 1);
	CHECK_EQ(fs_free(&h, 20, NULL), FS_OK);
	CHECK_LIST(&h, 0, 60, 70, 15);
	fs_fini(&h);
}

TEST(fs_coalesce_list_pass)
{
	struct fs_heap h;

	/* Address order: the pass is a full coalesce. */
	holes(&h, FS_FIT_FIRST, FS_ORDER_ADDR, 0);
	fs_free(&h, 20, NULL);
	CHECK_LIST(&h, 0, 20, 20, 10, 30, 30, 70, 15);
	fs_coalesce_list_pass(&h);
	CHECK_LIST(&h, 0, 60, 70, 15);
	fs_fini(&h);

	/* Insert at the back: [0 20][30 30][70 15][20 10] - the 10 at 20
	 * touches its neighbours in memory but not in the list. */
	holes(&h, FS_FIT_FIRST, FS_ORDER_BACK, 0);
	fs_free(&h, 20, NULL);
	fs_coalesce_list_pass(&h);
	CHECK_LIST(&h, 0, 20, 30, 30, 70, 15, 20, 10);
	fs_fini(&h);
}

TEST(fs_fragmentation_numbers)
{
	struct fs_heap h;
	struct fs_stats st;

	holes(&h, FS_FIT_FIRST, FS_ORDER_ADDR, 0);
	fs_stats(&h, &st);
	CHECK_EQ(st.free_bytes, 65);
	CHECK_EQ(st.used_bytes, 35);
	CHECK_EQ(st.largest_free, 30);
	CHECK_EQ(st.free_chunks, 3);
	CHECK_EQ(st.used_chunks, 3);
	CHECK_NEAR(st.ext_frag, 1.0 - 30.0 / 65.0, 1e-12);
	/* 65 bytes free, but a request for 31 fails: external fragmentation. */
	uint64_t addr;
	size_t searched;
	CHECK_EQ(fs_alloc(&h, 31, &addr, &searched), FS_ENOSPACE);
	CHECK_EQ(searched, 3);
	CHECK_EQ(h.failures, 1);
	fs_fini(&h);
}

TEST(fs_errors)
{
	struct fs_heap h;
	uint64_t addr, size = 0;

	CHECK_EQ(fs_init(&h, 0, 0, FS_FIT_BEST, FS_ORDER_ADDR, 0), FS_EINVAL);
	CHECK_EQ(fs_init(&h, UINT64_MAX - 5, 10, FS_FIT_BEST, FS_ORDER_ADDR, 0),
		 FS_EINVAL);
	CHECK_EQ(fs_init(&h, 1000, 100, FS_FIT_BEST, FS_ORDER_ADDR, 1), FS_OK);
	CHECK_EQ(fs_alloc(&h, 0, &addr, NULL), FS_EINVAL);
	CHECK_EQ(fs_alloc(&h, 101, &addr, NULL), FS_ENOSPACE);
	CHECK_EQ(fs_alloc(&h, 100, &addr, NULL), FS_OK);
	CHECK_EQ(addr, 1000);
	check_empty(&h, __LINE__);
	CHECK_EQ(fs_alloc(&h, 1, &addr, NULL), FS_ENOSPACE);
	CHECK_EQ(fs_free(&h, 1001, NULL), FS_ENOTALLOC);
	CHECK_EQ(fs_free(&h, 1000, &size), FS_OK);
	CHECK_EQ(size, 100);
	CHECK_EQ(fs_free(&h, 1000, NULL), FS_ENOTALLOC); /* double free */
	CHECK_LIST(&h, 1000, 100);
	fs_fini(&h);
}

TEST(fs_names)
{
	enum fs_fit fit;
	enum fs_order order;

	CHECK_EQ(fs_fit_parse("WORST", &fit), 0);
	CHECK_EQ(fit, FS_FIT_WORST);
	CHECK_EQ(fs_fit_parse("worst", &fit), -1);
	CHECK_EQ(fs_order_parse("SIZESORT-", &order), 0);
	CHECK_EQ(order, FS_ORDER_SIZE_DOWN);
	CHECK_STR(fs_order_name(FS_ORDER_FRONT), "INSERT-FRONT");
	CHECK_STR(fs_fit_name(FS_FIT_NEXT), "NEXT");
}
