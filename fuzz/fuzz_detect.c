/* fuzz_detect.c - libFuzzer target for format detection: any bytes, no
 * --format, so every probe sees them and the winner reads them (see
 * common.h). */
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_reader(data, size, NULL);
}
