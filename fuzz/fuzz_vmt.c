/* fuzz_vmt.c - libFuzzer target for the vmt reader (see common.h). */
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_reader(data, size, "vmt");
}
