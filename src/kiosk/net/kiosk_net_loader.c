/* kiosk_net.h for lobby-kiosk: loads lobby-kiosk-net.so (see
 * the table in kiosk_net.h) on the first kiosk_net_start and calls through its
 * table.  The other functions take a kiosk_net that only a successful
 * start returns, so the module is loaded whenever they run. */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kiosk_net.h"
#include "lobby_log.h"
#include "lobby_paths.h"

static const kiosk_net_ops *ops;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static lobby_err load_module(void)
{
  char path[PATH_MAX];
  /* In Lobby's module directory beside the binary (the build tree and
   * every install prefix have the same shape), else where it was
   * installed. */
  lobby_err err = lobby_path_module(KIOSK_NET_MODULE_FILE, path, sizeof path);
  if (err != LOBBY_OK)
    return err;
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    LOBBY_ERROR("cannot load the network module: %s", dlerror());
    return LOBBY_ENOTFOUND;
  }
  const kiosk_net_ops *table = dlsym(lib, KIOSK_NET_MODULE_SYMBOL);
  if (!table || !table->version || strcmp(table->version, LOBBY_KIOSK_VERSION) != 0 ||
      table->event_size != sizeof(kiosk_event)) {
    LOBBY_ERROR("%s is not the network module of lobby-kiosk %s", path, LOBBY_KIOSK_VERSION);
    dlclose(lib);
    return LOBBY_EINVAL;
  }
  /* Never unloaded: its thread and libcurl's globals live until exit. */
  ops = table;
  return LOBBY_OK;
}

lobby_err kiosk_net_start(const kiosk_net_config *cfg, kiosk_net **out)
{
  pthread_mutex_lock(&load_lock);
  lobby_err err = ops ? LOBBY_OK : load_module();
  pthread_mutex_unlock(&load_lock);
  return err == LOBBY_OK ? ops->start(cfg, out) : err;
}

void kiosk_net_stop(kiosk_net *net)
{
  if (ops && net)
    ops->stop(net);
}

lobby_err kiosk_net_submit(kiosk_net *net, kiosk_submit_kind kind, json_t *body, uint64_t *request_id)
{
  return ops && net ? ops->submit(net, kind, body, request_id) : LOBBY_EINVAL;
}

lobby_err kiosk_net_call(kiosk_net *net, const char *method, const char *path, json_t *body,
                         const char *etag, int wait_s, uint64_t *request_id)
{
  return ops && net ? ops->call(net, method, path, body, etag, wait_s, request_id) : LOBBY_EINVAL;
}

lobby_err kiosk_net_lookup_provisional(kiosk_net *net, const char *ref, uint64_t *request_id)
{
  return ops && net ? ops->lookup_provisional(net, ref, request_id) : LOBBY_EINVAL;
}

void kiosk_net_cancel(kiosk_net *net, uint64_t request_id)
{
  if (ops && net)
    ops->cancel(net, request_id);
}

bool kiosk_net_poll(kiosk_net *net, kiosk_event *ev)
{
  return ops && net && ops->poll(net, ev);
}

int kiosk_net_queued(kiosk_net *net)
{
  return ops && net ? ops->queued(net) : 0;
}

lobby_err kiosk_net_images_recheck(kiosk_net *net)
{
  return ops && net ? ops->images_recheck(net) : LOBBY_EINVAL;
}

void kiosk_net_report_audio(kiosk_net *net, kiosk_net_audio audio)
{
  if (ops && net)
    ops->report_audio(net, audio);
}

lobby_err kiosk_net_screenshot(kiosk_net *net, const char *request_id, uint8_t *pixels, int width,
                               int height, int blanked)
{
  if (ops && net)
    return ops->screenshot(net, request_id, pixels, width, height, blanked);
  free(pixels);
  return LOBBY_EINVAL;
}
