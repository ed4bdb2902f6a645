/*
 * refmodel.h - deliberately simple reference models of the modern
 * replacement policies, for differential tests (test_policy_modern.c).
 *
 * Each model replays a page sequence (dense page ids 0..u-1, with a write
 * flag) on C frames, written straight from the paper's pseudo-code with
 * plain arrays and linear searches - no intrusive lists, hashing or hands
 * over frame numbers - and records, for every reference, whether it hit,
 * which page it evicted (-1 if none) and how many frames the policy
 * released after it.  They share no code with src/policy/.
 */
#ifndef VMLAB_TEST_REFMODEL_H
#define VMLAB_TEST_REFMODEL_H

#include <stddef.h>
#include <stdint.h>

struct ref_out {
	uint8_t hit;
	int64_t victim;
	uint32_t released;
};

/* Parameters, in the policies' own units (see each model). */
struct ref_params {
	double a, b, c;
};

typedef void (*ref_model)(const uint32_t *pg, const uint8_t *wr, size_t n,
			  uint32_t u, uint32_t frames,
			  const struct ref_params *p, struct ref_out *out);

void ref_sieve(const uint32_t *, const uint8_t *, size_t, uint32_t, uint32_t,
	       const struct ref_params *, struct ref_out *);
void ref_gclock(const uint32_t *, const uint8_t *, size_t, uint32_t, uint32_t,
		const struct ref_params *, struct ref_out *);
void ref_twoq(const uint32_t *, const uint8_t *, size_t, uint32_t, uint32_t,
	      const struct ref_params *, struct ref_out *);
void ref_arc(const uint32_t *, const uint8_t *, size_t, uint32_t, uint32_t,
	     const struct ref_params *, struct ref_out *);
void ref_car(const uint32_t *, const uint8_t *, size_t, uint32_t, uint32_t,
	     const struct ref_params *, struct ref_out *);
void ref_s3fifo(const uint32_t *, const uint8_t *, size_t, uint32_t, uint32_t,
		const struct ref_params *, struct ref_out *);
void ref_lirs(const uint32_t *, const uint8_t *, size_t, uint32_t, uint32_t,
	      const struct ref_params *, struct ref_out *);
void ref_clockpro(const uint32_t *, const uint8_t *, size_t, uint32_t,
		  uint32_t, const struct ref_params *, struct ref_out *);
void ref_lruk(const uint32_t *, const uint8_t *, size_t, uint32_t, uint32_t,
	      const struct ref_params *, struct ref_out *);
void ref_ws(const uint32_t *, const uint8_t *, size_t, uint32_t, uint32_t,
	    const struct ref_params *, struct ref_out *);
void ref_pff(const uint32_t *, const uint8_t *, size_t, uint32_t, uint32_t,
	     const struct ref_params *, struct ref_out *);
void ref_wsclock(const uint32_t *, const uint8_t *, size_t, uint32_t,
		 uint32_t, const struct ref_params *, struct ref_out *);

#endif
