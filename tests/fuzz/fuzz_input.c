/* memfd_create is a GNU extension. */
#define _GNU_SOURCE
#include "fuzz_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "lobby_log.h"

char *fuzz_text(const uint8_t *data, size_t size)
{
  const uint8_t *nul = memchr(data, 0, size);
  size_t n = nul ? (size_t)(nul - data) : size;
  char *text = malloc(n + 1);
  if (text) {
    memcpy(text, data, n);
    text[n] = '\0';
  }
  return text;
}

int fuzz_file(const uint8_t *data, size_t size, char *path, size_t path_size)
{
  int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
  if (fd < 0)
    return -1;
  size_t done = 0;
  while (done < size) {
    ssize_t n = write(fd, data + done, size - done);
    if (n <= 0) {
      close(fd);
      return -1;
    }
    done += (size_t)n;
  }
  snprintf(path, path_size, "/proc/self/fd/%d", fd);
  return fd;
}

const char *fuzz_scratch_dir(void)
{
  if (access("/dev/shm", W_OK | X_OK) == 0)
    return "/dev/shm";
  const char *tmp = getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

void fuzz_quiet(void)
{
  lobby_log_set_level(LOBBY_LOG_OFF);
}
