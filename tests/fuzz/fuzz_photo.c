/* An uploaded picture as lobbyd handles it: the header read first, then,
 * for what passes, decoding, turning, scaling and encoding with libgd. */
#include <stdlib.h>
#include "fuzz_input.h"
#include "photo_image.h"
#include "photo_probe.h"

/* Small enough that each input decodes in milliseconds. */
#define FUZZ_PIXELS_MAX (1024u * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  photo_header h;
  fuzz_quiet();
  if (photo_probe(data, size, &h) != LOBBY_OK || (uint64_t)h.width * h.height > FUZZ_PIXELS_MAX)
    return 0;
  uint8_t *jpeg = NULL;
  size_t len = 0;
  int w = 0, hgt = 0;
  if (photo_image_normalise(data, size, &h, PHOTO_SIDE_MAX, &jpeg, &len, &w, &hgt) == LOBBY_OK &&
      (w < 1 || hgt < 1 || w > PHOTO_SIDE_MAX || hgt > PHOTO_SIDE_MAX || len == 0))
    abort(); /* a kept picture is never empty or over the side */
  free(jpeg);
  return 0;
}
