/* fuzz_common: helpers shared by the libFuzzer harnesses. Each harness
 * defines LLVMFuzzerTestOneInput; built with clang -fsanitize=fuzzer it
 * is a fuzzer, built with replay.c (any compiler) it replays saved inputs
 * (the seed corpus and tests/fuzz/regress/) as part of `make check`. */
#ifndef COSTCAP_TESTS_FUZZ_COMMON_H
#define COSTCAP_TESTS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Sets COSTCAP_MODELS to the checkout's models/ (found from the current
 * folder or $COSTCAP_ROOT) unless it is set already. */
void fuzz_setup_models(void);

/* Writes data to an anonymous in-memory file and returns a path that
 * opens it ("/proc/self/fd/N"); the file stays open until the next call
 * or fuzz_file_close(). Returns NULL when no file can be made. */
const char *fuzz_file(const uint8_t *data, size_t size);
void fuzz_file_close(void);

#endif
