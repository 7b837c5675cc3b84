/* kiosk.ini, read over the defaults as the kiosk reads it. */
#include <unistd.h>
#include "fuzz_input.h"
#include "kiosk_app.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char path[64], why[768];
  kiosk_config c;
  fuzz_quiet();
  int fd = fuzz_file(data, size, path, sizeof path);
  if (fd < 0)
    return 0;
  kiosk_config_defaults(&c);
  (void)kiosk_config_load_why(path, &c, why, sizeof why);
  close(fd);
  return 0;
}
