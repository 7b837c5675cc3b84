/* The kiosk's strings files (assets/strings/<lang>.ini), and formatting
 * a template from them with placeholders filled in. */
#include <stdlib.h>
#include "fuzz_input.h"
#include "kiosk_strings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = fuzz_text(data, size);
  kiosk_strings s = {0};
  fuzz_quiet();
  if (text && kiosk_strings_parse(text, "zh", &s) == LOBBY_OK) {
    char out[256];
    for (size_t i = 0; i < s.n; i++)
      kiosk_strings_format(&s, out, sizeof out, s.v[i].key, "phone", "400-800-1234", "n", "3",
                           NULL);
    kiosk_strings_free(&s);
  }
  free(text);
  return 0;
}
