/*
 * pyrandom.h - CPython's `random` module, number for number.
 *
 * The OSTEP homework simulators draw every random choice from Python's
 * Mersenne Twister, so reproducing their output means generating exactly the
 * numbers `random.seed(s); random.random()` generate.  This is MT19937
 * (Matsumoto and Nishimura, 1998) seeded and consumed the way CPython 3
 * does it (Modules/_randommodule.c and Lib/random.py):
 *
 *   seed(n)       init_by_array() over the 32-bit words of |n|, least
 *                 significant first; n == 0 is the one-word key [0].
 *   random()      53 bits from two outputs: (a*2^26 + b) / 2^53 with
 *                 a = out >> 5, b = out >> 6.
 *   getrandbits(k)  k <= 32: one output >> (32 - k); more: 32-bit words
 *                 least significant first, the last one shifted down.
 *   _randbelow(n) rejection sampling over getrandbits(n.bit_length()), which
 *                 randrange, randint, choice and shuffle are built on.
 *
 * The simulator's own generator is xoshiro (rng.h); this one exists only so
 * `vmlab ostep` matches the Python programs byte for byte.
 */
#ifndef VMLAB_PYRANDOM_H
#define VMLAB_PYRANDOM_H

#include <stddef.h>
#include <stdint.h>

#define PYRANDOM_N 624

struct pyrandom {
	uint32_t mt[PYRANDOM_N];
	int index; /* next word of mt to temper; PYRANDOM_N = regenerate */
};

/*
 * random.seed(n) for the integer whose absolute value has the 32-bit words
 * KEY[0..NKEY-1], least significant first.  NKEY must be the minimal count
 * (the top word non-zero), or 1 for zero, as CPython computes it: a key
 * with extra zero words seeds a different sequence.
 */
void pyrandom_seed_words(struct pyrandom *r, const uint32_t *key, size_t nkey);

/* random.seed(n) for a 64-bit integer (negative seeds use |n|, as Python). */
void pyrandom_seed(struct pyrandom *r, int64_t seed);

/* One raw 32-bit output (genrand_uint32). */
uint32_t pyrandom_u32(struct pyrandom *r);

/* random.random(): a double in [0, 1) with 53 random bits. */
double pyrandom_random(struct pyrandom *r);

/* random.getrandbits(k) for 0 <= k <= 64 (k = 0 draws nothing, gives 0). */
uint64_t pyrandom_getrandbits(struct pyrandom *r, unsigned k);

/* random._randbelow(n): uniform in [0, n), n >= 1. */
uint64_t pyrandom_below(struct pyrandom *r, uint64_t n);

/*
 * random.randrange(start, stop, step) for ranges whose size fits in 64 bits.
 * Returns 0 and stores the value in *OUT, or -1 (nothing drawn) where Python
 * raises ValueError: an empty range or a zero step.
 */
int pyrandom_randrange(struct pyrandom *r, int64_t start, int64_t stop,
		       int64_t step, int64_t *out);

/* random.randint(a, b), a <= b: uniform in [a, b] (randrange(a, b + 1)). */
int64_t pyrandom_randint(struct pyrandom *r, int64_t a, int64_t b);

/* The index random.choice(seq) picks for a sequence of N >= 1 items. */
size_t pyrandom_choice(struct pyrandom *r, size_t n);

/* random.shuffle(x) on an array of N elements of SIZE bytes each. */
void pyrandom_shuffle(struct pyrandom *r, void *base, size_t n, size_t size);

/* random.uniform(a, b): a + (b - a) * random(). */
double pyrandom_uniform(struct pyrandom *r, double a, double b);

#endif /* VMLAB_PYRANDOM_H */
