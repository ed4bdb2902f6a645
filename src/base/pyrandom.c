/*
 * pyrandom.c - CPython's Mersenne Twister and the parts of Lib/random.py
 * built on it (see pyrandom.h).
 *
 * Sources, CPython 3.11: Modules/_randommodule.c (init_genrand,
 * init_by_array, genrand_uint32, random_seed, random_random,
 * _random_Random_getrandbits_impl) and Lib/random.py (_randbelow_with_
 * getrandbits, randrange, randint, choice, shuffle, uniform).  The
 * generator is MT19937 from Matsumoto and Nishimura's mt19937ar.c, which
 * CPython carries unchanged; the seeding of integers and the 53-bit
 * doubles are CPython's own.  Written afresh here from those descriptions.
 *
 * State: 624 words plus the index of the next word to temper.  A fresh
 * block of 624 words is generated when the index reaches 624 ("twist").
 */
#include "vmlab/pyrandom.h"

#include "vmlab/base.h"

#include <string.h>

#define MT_M 397
#define MT_MATRIX_A 0x9908b0dfU
#define MT_UPPER 0x80000000U
#define MT_LOWER 0x7fffffffU

/* mt19937ar's init_genrand: the state from one 32-bit word. */
static void init_genrand(struct pyrandom *r, uint32_t s)
{
	uint32_t *mt = r->mt;

	mt[0] = s;
	for (uint32_t i = 1; i < PYRANDOM_N; i++)
		mt[i] = 1812433253U * (mt[i - 1] ^ (mt[i - 1] >> 30)) + i;
	r->index = PYRANDOM_N;
}

void pyrandom_seed_words(struct pyrandom *r, const uint32_t *key, size_t nkey)
{
	uint32_t *mt = r->mt;
	size_t i = 1, j = 0, k;

	ASSERT(nkey >= 1, "empty key");
	init_genrand(r, 19650218U);
	for (k = PYRANDOM_N > nkey ? PYRANDOM_N : nkey; k; k--) {
		mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525U)) +
			key[j] + (uint32_t)j;
		i++;
		j++;
		if (i >= PYRANDOM_N) {
			mt[0] = mt[PYRANDOM_N - 1];
			i = 1;
		}
		if (j >= nkey)
			j = 0;
	}
	for (k = PYRANDOM_N - 1; k; k--) {
		mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941U)) -
			(uint32_t)i;
		i++;
		if (i >= PYRANDOM_N) {
			mt[0] = mt[PYRANDOM_N - 1];
			i = 1;
		}
	}
	mt[0] = 0x80000000U; /* MSB is 1: the state is never all zero */
	r->index = PYRANDOM_N;
}

void pyrandom_seed(struct pyrandom *r, int64_t seed)
{
	/* |seed| without overflow at INT64_MIN. */
	uint64_t mag = seed < 0 ? 0 - (uint64_t)seed : (uint64_t)seed;
	uint32_t key[2] = { (uint32_t)mag, (uint32_t)(mag >> 32) };

	pyrandom_seed_words(r, key, key[1] ? 2 : 1);
}

/* Generate the next 624 words (mt19937ar's genrand_int32 refill). */
static void twist(struct pyrandom *r)
{
	static const uint32_t mag01[2] = { 0, MT_MATRIX_A };
	uint32_t *mt = r->mt, y;
	int kk;

	for (kk = 0; kk < PYRANDOM_N - MT_M; kk++) {
		y = (mt[kk] & MT_UPPER) | (mt[kk + 1] & MT_LOWER);
		mt[kk] = mt[kk + MT_M] ^ (y >> 1) ^ mag01[y & 1];
	}
	for (; kk < PYRANDOM_N - 1; kk++) {
		y = (mt[kk] & MT_UPPER) | (mt[kk + 1] & MT_LOWER);
		mt[kk] = mt[kk + (MT_M - PYRANDOM_N)] ^ (y >> 1) ^ mag01[y & 1];
	}
	y = (mt[PYRANDOM_N - 1] & MT_UPPER) | (mt[0] & MT_LOWER);
	mt[PYRANDOM_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 1];
	r->index = 0;
}

uint32_t pyrandom_u32(struct pyrandom *r)
{
	uint32_t y;

	if (r->index >= PYRANDOM_N)
		twist(r);
	y = r->mt[r->index++];
	y ^= y >> 11;
	y ^= (y << 7) & 0x9d2c5680U;
	y ^= (y << 15) & 0xefc60000U;
	y ^= y >> 18;
	return y;
}

double pyrandom_random(struct pyrandom *r)
{
	uint32_t a = pyrandom_u32(r) >> 5, b = pyrandom_u32(r) >> 6;

	/* Both steps are exact: a * 2^26 + b < 2^53, and 2^-53 is a power. */
	return ((double)a * 67108864.0 + (double)b) *
	       (1.0 / 9007199254740992.0);
}

uint64_t pyrandom_getrandbits(struct pyrandom *r, unsigned k)
{
	uint64_t lo, hi;

	ASSERT(k <= 64, "k=%u", k);
	if (k == 0)
		return 0;
	if (k <= 32)
		return pyrandom_u32(r) >> (32 - k);
	/* Words least significant first; the last keeps its top bits. */
	lo = pyrandom_u32(r);
	hi = pyrandom_u32(r) >> (64 - k);
	return lo | hi << 32;
}

uint64_t pyrandom_below(struct pyrandom *r, uint64_t n)
{
	unsigned k = 0;
	uint64_t v;

	ASSERT(n >= 1, "n=0");
	for (uint64_t m = n; m; m >>= 1) /* n.bit_length() */
		k++;
	do
		v = pyrandom_getrandbits(r, k);
	while (v >= n);
	return v;
}

int pyrandom_randrange(struct pyrandom *r, int64_t start, int64_t stop,
		       int64_t step, int64_t *out)
{
	uint64_t width, n;

	if (step == 0 || (step > 0 && stop <= start) ||
	    (step < 0 && stop >= start))
		return -1;
	/* Count of values: ceil(|stop - start| / |step|), in unsigned. */
	if (step > 0) {
		width = (uint64_t)stop - (uint64_t)start;
		n = width / (uint64_t)step + (width % (uint64_t)step != 0);
		*out = (int64_t)((uint64_t)start +
				 (uint64_t)step * pyrandom_below(r, n));
	} else {
		uint64_t ustep = 0 - (uint64_t)step;
		width = (uint64_t)start - (uint64_t)stop;
		n = width / ustep + (width % ustep != 0);
		*out = (int64_t)((uint64_t)start - ustep * pyrandom_below(r, n));
	}
	return 0;
}

int64_t pyrandom_randint(struct pyrandom *r, int64_t a, int64_t b)
{
	ASSERT(a <= b, "a=%lld b=%lld", (long long)a, (long long)b);
	/* randrange(a, b + 1) without overflowing at b = INT64_MAX. */
	uint64_t width = (uint64_t)b - (uint64_t)a + 1;
	if (width == 0) {
		/*
		 * All 2^64 values: _randbelow(2^64) draws getrandbits(65), three
		 * words with the last shifted down to one bit, and rejects the
		 * draws with that bit set.
		 */
		for (;;) {
			uint64_t lo = pyrandom_u32(r), mid = pyrandom_u32(r);
			if ((pyrandom_u32(r) >> 31) == 0)
				return (int64_t)((uint64_t)a + (lo | mid << 32));
		}
	}
	return (int64_t)((uint64_t)a + pyrandom_below(r, width));
}

size_t pyrandom_choice(struct pyrandom *r, size_t n)
{
	ASSERT(n >= 1, "empty sequence");
	return (size_t)pyrandom_below(r, n);
}

void pyrandom_shuffle(struct pyrandom *r, void *base, size_t n, size_t size)
{
	unsigned char *a = base, tmp[64];

	ASSERT(size <= sizeof(tmp), "element of %zu bytes", size);
	for (size_t i = n > 0 ? n - 1 : 0; i >= 1; i--) {
		size_t j = (size_t)pyrandom_below(r, (uint64_t)i + 1);
		memcpy(tmp, a + i * size, size);
		memcpy(a + i * size, a + j * size, size);
		memcpy(a + j * size, tmp, size);
	}
}

double pyrandom_uniform(struct pyrandom *r, double a, double b)
{
	/* Separate statements: no fused multiply-add may merge the steps. */
	double span = b - a;
	double scaled = span * pyrandom_random(r);
	return a + scaled;
}
