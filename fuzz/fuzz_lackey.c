/* fuzz_lackey.c - libFuzzer target for the lackey reader (see common.h). */
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_reader(data, size, "lackey");
}
