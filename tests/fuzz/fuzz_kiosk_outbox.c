/* An outbox item file as a crash or a bad disk may have left it: the
 * outbox opens, skips (or loads) it, and closes. */
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "fuzz_input.h"
#include "kiosk_outbox.h"
#include "lobby_fs.h"

static char state[PATH_MAX];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  if (sodium_init() < 0)
    abort();
  snprintf(state, sizeof state, "%s/lobby-fuzz-outbox.%ld", fuzz_scratch_dir(), (long)getpid());
  fuzz_quiet();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char dir[PATH_MAX + 16], item[PATH_MAX + 48];
  snprintf(dir, sizeof dir, "%s/outbox", state);
  snprintf(item, sizeof item, "%s/0000000000000001.json", dir);
  if (lobby_fs_mkdirs(dir) != LOBBY_OK)
    abort();
  FILE *f = fopen(item, "wb");
  if (!f)
    abort();
  if (size && fwrite(data, 1, size, f) != size)
    abort();
  fclose(f);
  kiosk_outbox *ob = NULL;
  if (kiosk_outbox_open(state, &ob) == LOBBY_OK) {
    for (size_t i = 0; i < kiosk_outbox_count(ob); i++) {
      json_t *found = NULL;
      const kiosk_outbox_item *it = kiosk_outbox_at(ob, i);
      if (kiosk_outbox_lookup(ob, it->ref, &found) == LOBBY_OK)
        json_decref(found);
    }
    kiosk_outbox_close(ob);
  }
  (void)lobby_fs_remove_tree(state);
  return 0;
}
