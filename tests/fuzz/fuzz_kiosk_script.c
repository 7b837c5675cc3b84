/* The headless kiosk's script language. */
#include <stdlib.h>
#include "fuzz_input.h"
#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = fuzz_text(data, size);
  kiosk_script script = {0};
  char err[256];
  fuzz_quiet();
  if (text && kiosk_script_parse(text, &script, err, sizeof err) == LOBBY_OK)
    kiosk_script_free(&script);
  free(text);
  return 0;
}
