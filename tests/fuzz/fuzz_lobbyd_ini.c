/* lobbyd.ini, read over the defaults as lobbyd serve and a reload read it. */
#include <unistd.h>
#include "config.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char path[64];
  lobbyd_config cfg;
  fuzz_quiet();
  int fd = fuzz_file(data, size, path, sizeof path);
  if (fd < 0)
    return 0;
  lobbyd_config_defaults(&cfg);
  (void)lobbyd_config_load(&cfg, path);
  close(fd);
  return 0;
}
