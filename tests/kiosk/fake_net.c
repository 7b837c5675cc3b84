#include "fake_net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

fake_net_log fake_net;
static kiosk_event queue[32];
static int head, tail;
static uint64_t next_id = 1;
static int handle;

kiosk_net *fake_net_handle(void) { return (kiosk_net *)&handle; }

void fake_net_reset(void)
{
  json_decref(fake_net.last_body);
  free(fake_net.shot_pixels);
  memset(&fake_net, 0, sizeof fake_net);
  while (head < tail) {
    json_decref(queue[head % 32].body);
    json_decref(queue[head % 32].feed);
    head++;
  }
}

void fake_net_push(const kiosk_event *ev)
{
  queue[tail++ % 32] = *ev;
}

void fake_net_answer(kiosk_result_state state, int status, json_t *body, const char *etag)
{
  kiosk_event ev;
  memset(&ev, 0, sizeof ev);
  ev.kind = KIOSK_EV_RESULT;
  ev.request_id = fake_net.last_id;
  ev.state = state;
  ev.http_status = status;
  ev.body = body;
  snprintf(ev.etag, sizeof ev.etag, "%s", etag ? etag : "");
  fake_net_push(&ev);
}

static void keep_body(json_t *body)
{
  json_decref(fake_net.last_body);
  fake_net.last_body = body ? json_deep_copy(body) : NULL;
}

lobby_err kiosk_net_start(const kiosk_net_config *cfg, kiosk_net **out)
{
  (void)cfg;
  *out = fake_net_handle();
  return LOBBY_OK;
}

void kiosk_net_stop(kiosk_net *net) { (void)net; }

lobby_err kiosk_net_submit(kiosk_net *net, kiosk_submit_kind kind, json_t *body, uint64_t *id)
{
  (void)net;
  fake_net.submits++;
  fake_net.last_kind = kind;
  keep_body(body);
  *id = fake_net.last_id = next_id++;
  return LOBBY_OK;
}

lobby_err kiosk_net_call(kiosk_net *net, const char *method, const char *path, json_t *body, const char *etag,
                         int wait_s, uint64_t *id)
{
  (void)net;
  fake_net.calls++;
  snprintf(fake_net.last_method, sizeof fake_net.last_method, "%s", method);
  snprintf(fake_net.last_path, sizeof fake_net.last_path, "%s", path);
  snprintf(fake_net.last_etag, sizeof fake_net.last_etag, "%s", etag ? etag : "");
  fake_net.last_wait = wait_s;
  keep_body(body);
  *id = fake_net.last_id = next_id++;
  return LOBBY_OK;
}

lobby_err kiosk_net_lookup_provisional(kiosk_net *net, const char *ref, uint64_t *id)
{
  (void)net;
  fake_net.lookups++;
  snprintf(fake_net.last_ref, sizeof fake_net.last_ref, "%s", ref);
  *id = fake_net.last_id = next_id++;
  return LOBBY_OK;
}

void kiosk_net_cancel(kiosk_net *net, uint64_t id)
{
  (void)net;
  (void)id;
  fake_net.cancels++;
}

bool kiosk_net_poll(kiosk_net *net, kiosk_event *ev)
{
  (void)net;
  if (head == tail)
    return false;
  *ev = queue[head++ % 32];
  return true;
}

int kiosk_net_queued(kiosk_net *net)
{
  (void)net;
  return 0;
}

lobby_err kiosk_net_images_recheck(kiosk_net *net)
{
  (void)net;
  return LOBBY_OK;
}

void kiosk_net_report_audio(kiosk_net *net, kiosk_net_audio audio)
{
  (void)net;
  fake_net.audio = audio;
}

lobby_err kiosk_net_screenshot(kiosk_net *net, const char *request_id, uint8_t *pixels, int width,
                               int height, int blanked)
{
  (void)net;
  free(fake_net.shot_pixels);
  fake_net.shot_pixels = pixels;
  fake_net.screenshots++;
  fake_net.shot_w = width;
  fake_net.shot_h = height;
  fake_net.shot_blanked = blanked;
  snprintf(fake_net.shot_request, sizeof fake_net.shot_request, "%s", request_id);
  return LOBBY_OK;
}
