/* test_base.c - number parsing, parameter lists and the seeded generator. */
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/rng.h"

TEST(parse_numbers)
{
	uint64_t u = 0;
	double d = 0;

	CHECK(vm_parse_u64("42", &u) == 0 && u == 42);
	CHECK(vm_parse_u64("0x1F", &u) == 0 && u == 31);
	CHECK(vm_parse_u64("12x", &u) == -1);
	CHECK(vm_parse_u64("", &u) == -1);
	CHECK(vm_parse_u64("-3", &u) == -1);
	CHECK(vm_parse_u64("18446744073709551616", &u) == -1);
	CHECK(vm_parse_size("4k", &u) == 0 && u == 4096);
	CHECK(vm_parse_size("2MiB", &u) == 0 && u == 2u << 20);
	CHECK(vm_parse_size("1G", &u) == 0 && u == 1u << 30);
	CHECK(vm_parse_size("512", &u) == 0 && u == 512);
	CHECK(vm_parse_size("4q", &u) == -1);
	CHECK(vm_parse_double("0.9", &d) == 0 && d == 0.9);
	CHECK(vm_parse_double("nan", &d) == -1);
}

static const struct vm_param_desc test_params[] = {
	{ "bits", VM_PARAM_U64, "8", 1, 64, "counter width" },
	{ "alpha", VM_PARAM_DOUBLE, "0.5", 0, 10, "skew" },
	{ "name", VM_PARAM_STRING, "x", 0, 0, "label" },
	{ 0 },
};

TEST(params_defaults_and_values)
{
	struct vm_params p;
	struct vm_error err = { 0 };

	CHECK(vm_params_parse(test_params, NULL, "test", &p, &err) == 0);
	CHECK_EQ(vm_params_u64(&p, "bits"), 8);
	CHECK(!vm_params_given(&p, "bits"));
	CHECK(vm_params_parse(test_params, "bits=3,alpha=1.5,name=yz", "test",
			      &p, &err) == 0);
	CHECK_EQ(vm_params_u64(&p, "bits"), 3);
	CHECK(vm_params_double(&p, "alpha") == 1.5);
	CHECK_STR(vm_params_str(&p, "name"), "yz");
	CHECK(vm_params_given(&p, "alpha"));
}

TEST(params_errors)
{
	struct vm_params p;
	struct vm_error err = { 0 };

	CHECK(vm_params_parse(test_params, "bogus=1", "policy t", &p, &err) ==
	      VM_ERR_INPUT);
	CHECK(strstr(err.msg, "unknown parameter 'bogus'") != NULL);
	CHECK(vm_params_parse(test_params, "bits=0", "policy t", &p, &err) ==
	      VM_ERR_INPUT);
	CHECK(strstr(err.msg, "between 1 and 64") != NULL);
	CHECK(vm_params_parse(test_params, "bits=two", "policy t", &p, &err) ==
	      VM_ERR_INPUT);
	CHECK(vm_params_parse(test_params, "bits", "policy t", &p, &err) ==
	      VM_ERR_INPUT);
}

TEST(rng_reproducible_and_bounded)
{
	struct vm_rng a, b;
	int seen[7] = { 0 };

	vm_rng_seed(&a, 1);
	vm_rng_seed(&b, 1);
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(vm_rng_next(&a), vm_rng_next(&b));
	for (int i = 0; i < 7000; i++) {
		uint64_t x = vm_rng_below(&a, 7);
		CHECK(x < 7);
		seen[x < 7 ? x : 0]++;
	}
	for (int i = 0; i < 7; i++)
		CHECK(seen[i] > 800 && seen[i] < 1200);
}
