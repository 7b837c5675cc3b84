/* What every fuzz target needs: the input as a C string or as a file. */
#ifndef LOBBY_FUZZ_INPUT_H
#define LOBBY_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* The input up to its first NUL, NUL-terminated, in a new allocation; NULL
 * when out of memory (the target then skips the input). */
char *fuzz_text(const uint8_t *data, size_t size);

/* Writes the input to a memory-backed file (memfd) and names it in path as
 * /proc/self/fd/N, for parsers that open a path.  Returns the descriptor to
 * close afterwards, or -1. */
int fuzz_file(const uint8_t *data, size_t size, char *path, size_t path_size);

/* A directory for files a target must write: /dev/shm when it is there
 * (memory-backed, so fsync and rename cost nothing and the target runs a
 * hundred times faster), else $TMPDIR or /tmp. */
const char *fuzz_scratch_dir(void);

/* Silences lobby_log: refused inputs are the normal case here. */
void fuzz_quiet(void);

#endif
