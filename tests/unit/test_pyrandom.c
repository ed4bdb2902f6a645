/*
 * test_pyrandom.c - CPython's random module, value for value.
 *
 * Every expected number below was printed by python3 (3.11) on the
 * development machine, e.g.
 *	python3 -c 'import random; random.seed(7); print(repr(random.random()))'
 * Doubles are compared exactly: repr() is the shortest string that reads
 * back as the same double.
 */
#include "unit.h"

#include "vmlab/pyrandom.h"

TEST(pyrandom_random_small_seeds)
{
	struct pyrandom r;

	pyrandom_seed(&r, 7);
	CHECK(pyrandom_random(&r) == 0.32383276483316237);
	CHECK(pyrandom_random(&r) == 0.15084917392450192);
	pyrandom_seed(&r, 0);
	CHECK(pyrandom_random(&r) == 0.8444218515250481);
	/* A negative seed is its absolute value. */
	pyrandom_seed(&r, -5);
	CHECK(pyrandom_random(&r) == 0.6229016948897019);
}

TEST(pyrandom_seed_multiword)
{
	struct pyrandom r;
	/* 2^100 + 12345, least significant word first. */
	const uint32_t big[] = { 12345, 0, 0, 16 };

	pyrandom_seed(&r, ((int64_t)1 << 40) + 3);
	CHECK(pyrandom_random(&r) == 0.21978710637116716);
	pyrandom_seed_words(&r, big, 4);
	CHECK(pyrandom_random(&r) == 0.44487310994347073);
	pyrandom_seed(&r, INT64_MIN);
	CHECK(pyrandom_random(&r) == 0.5534639983914199);
}

TEST(pyrandom_twist_boundary)
{
	struct pyrandom r;

	/* 700 doubles use 1400 words: two refills of the 624-word state. */
	pyrandom_seed(&r, 5);
	for (int i = 0; i < 700; i++)
		pyrandom_random(&r);
	CHECK(pyrandom_random(&r) == 0.9569111041768784);
}

TEST(pyrandom_getrandbits)
{
	struct pyrandom r;

	pyrandom_seed(&r, 42);
	CHECK_EQ(pyrandom_getrandbits(&r, 0), 0);
	CHECK_EQ(pyrandom_getrandbits(&r, 1), 1);
	CHECK_EQ(pyrandom_getrandbits(&r, 7), 14);
	CHECK_EQ(pyrandom_getrandbits(&r, 32), 107420369);
	CHECK_EQ(pyrandom_getrandbits(&r, 33), 3184935163ULL);
	CHECK_EQ(pyrandom_getrandbits(&r, 64), 4117511471858006928ULL);
}

TEST(pyrandom_randrange_randint)
{
	static const int64_t want[] = { 1, 0, 4, 3, 3, 2, 1, 8 };
	struct pyrandom r;
	int64_t v;

	pyrandom_seed(&r, 42);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		CHECK_EQ(pyrandom_randrange(&r, 0, 10, 1, &v), 0);
		CHECK_EQ(v, want[i]);
	}
	CHECK_EQ(pyrandom_randint(&r, -5, 5), -4);
	CHECK_EQ(pyrandom_randrange(&r, 3, 100, 7, &v), 0);
	CHECK_EQ(v, 66);
	CHECK_EQ(pyrandom_randrange(&r, 100, 3, -7, &v), 0);
	CHECK_EQ(v, 58);
	/* Python's ValueError cases draw nothing and fail. */
	CHECK_EQ(pyrandom_randrange(&r, 5, 5, 1, &v), -1);
	CHECK_EQ(pyrandom_randrange(&r, 0, 5, 0, &v), -1);
	CHECK_EQ(pyrandom_randrange(&r, 0, 5, -1, &v), -1);
}

TEST(pyrandom_full_width)
{
	struct pyrandom r;

	pyrandom_seed(&r, 9);
	CHECK_EQ(pyrandom_randint(&r, INT64_MIN, INT64_MAX),
		 2088452442651338350LL);
	CHECK_EQ(pyrandom_getrandbits(&r, 32), 1147333628);
	pyrandom_seed(&r, 11);
	CHECK_EQ(pyrandom_below(&r, UINT64_MAX), 15970126346341786989ULL);
}

TEST(pyrandom_shuffle_choice_uniform)
{
	static const int want[] = { 6, 8, 9, 7, 5, 3, 0, 4, 1, 2 };
	struct pyrandom r;
	int x[10];

	for (int i = 0; i < 10; i++)
		x[i] = i;
	pyrandom_seed(&r, 1);
	pyrandom_shuffle(&r, x, 10, sizeof(x[0]));
	for (int i = 0; i < 10; i++)
		CHECK_EQ(x[i], want[i]);
	CHECK_EQ(pyrandom_choice(&r, 6), 1); /* 'abcdef' -> 'b' */
	pyrandom_seed(&r, 3);
	CHECK(pyrandom_uniform(&r, 2.5, 7.25) == 3.630331978686484);
}
