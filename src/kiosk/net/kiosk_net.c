/* The kiosk's network thread.
 *
 * One thread drives every exchange with lobbyd through a libcurl multi
 * handle: the feed long-poll, heartbeats, outbox delivery and direct calls
 * all run as concurrent transfers, so a 50-second long-poll never delays a
 * repair look-up or a submission.  Keeping all of it on one thread also
 * means the outbox and the transfer list need no lock; only the two queues
 * shared with the UI thread (commands in, events out) are mutex-protected,
 * and the UI wakes the thread with curl_multi_wakeup().
 *
 * This file holds the public API, the commands from the UI and the
 * thread's loop; kiosk_net_events.c the events back and connectivity,
 * kiosk_net_transfer.c single transfers, kiosk_net_feed.c the feed and
 * heartbeats, kiosk_net_delivery.c the outbox and direct calls.  They
 * share kiosk_net_internal.h. */
#include "kiosk_net_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "feed_cache.h"
#include "lobby_fs.h"
#include "lobby_log.h"
#include "lobby_time.h"

/* ------------------------------------------------------------- commands */

static void command_free(command *cmd)
{
  if (!cmd)
    return;
  free(cmd->method);
  free(cmd->path);
  free(cmd->etag);
  json_decref(cmd->body);
  free(cmd->pixels);
  free(cmd);
}

static void submit_run(kiosk_net *net, command *cmd)
{
  const kiosk_outbox_item *item = NULL;
  lobby_err err = kiosk_outbox_append(net->delivery.outbox, cmd->submit_kind, cmd->body, &item);
  if (err != LOBBY_OK) {
    LOBBY_ERROR("outbox: could not store a %s: %s", kiosk_submit_kind_name(cmd->submit_kind),
                lobby_strerror(err));
    kiosk_net__emit_result(net, cmd->request_id, KIOSK_RESULT_FAILED, 0, NULL, NULL, NULL);
    return;
  }
  kiosk_net__update_queued_count(net);
  pending_submit *ps = calloc(1, sizeof *ps);
  if (!ps) {
    /* The item is safe on disk; the screen just gets its answer now. */
    kiosk_net__emit_result(net, cmd->request_id, KIOSK_RESULT_QUEUED, 0, NULL, item->ref, NULL);
    return;
  }
  ps->request_id = cmd->request_id;
  ps->seq = item->seq;
  snprintf(ps->ref, sizeof ps->ref, "%s", item->ref);
  ps->deadline_ms = lobby_monotonic_ms() + SUBMIT_ANSWER_MS;
  ps->next = net->delivery.pending;
  net->delivery.pending = ps;
  /* A person is waiting: try now even if the last attempt failed. */
  kiosk_net__backoff_reset(&net->delivery.outbox_backoff);
}

static void lookup_run(kiosk_net *net, command *cmd)
{
  json_t *found = NULL;
  lobby_err err = kiosk_outbox_lookup(net->delivery.outbox, cmd->ref, &found);
  if (err == LOBBY_OK)
    kiosk_net__emit_result(net, cmd->request_id, KIOSK_RESULT_DELIVERED, 200, found, cmd->ref, NULL);
  else if (err == LOBBY_ENOTFOUND)
    kiosk_net__emit_result(net, cmd->request_id, KIOSK_RESULT_DELIVERED, 404, NULL, cmd->ref, NULL);
  else
    kiosk_net__emit_result(net, cmd->request_id, KIOSK_RESULT_FAILED, 0, NULL, cmd->ref, NULL);
}

static void command_run(kiosk_net *net, command *cmd)
{
  switch (cmd->kind) {
  case CMD_SUBMIT: submit_run(net, cmd); break;
  case CMD_CALL: kiosk_net__call_start(net, cmd); break;
  case CMD_LOOKUP: lookup_run(net, cmd); break;
  case CMD_CANCEL: kiosk_net__call_cancel(net, cmd->request_id); break;
  case CMD_IMAGES_RECHECK: kiosk_net__images_recheck(net); break;
  case CMD_SCREENSHOT: kiosk_net__screenshot_start(net, cmd); break;
  }
}

static command *commands_take_all(kiosk_net *net)
{
  pthread_mutex_lock(&net->mailbox.lock);
  command *all = net->mailbox.commands_head;
  net->mailbox.commands_head = net->mailbox.commands_tail = NULL;
  pthread_mutex_unlock(&net->mailbox.lock);
  return all;
}

static void commands_run_all(kiosk_net *net)
{
  command *cmd = commands_take_all(net);
  while (cmd) {
    command *next = cmd->next;
    command_run(net, cmd);
    command_free(cmd);
    cmd = next;
  }
}

static lobby_err command_post(kiosk_net *net, command *cmd)
{
  if (atomic_load(&net->stopping)) {
    command_free(cmd);
    return LOBBY_EINVAL;
  }
  pthread_mutex_lock(&net->mailbox.lock);
  if (net->mailbox.commands_tail)
    net->mailbox.commands_tail->next = cmd;
  else
    net->mailbox.commands_head = cmd;
  net->mailbox.commands_tail = cmd;
  pthread_mutex_unlock(&net->mailbox.lock);
  curl_multi_wakeup(net->multi);
  return LOBBY_OK;
}

/* ---------------------------------------------------------- main loop */

static void transfer_finished(kiosk_net *net, transfer *t, CURLcode rc)
{
  long status = 0;
  if (rc == CURLE_OK)
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
  switch (t->role) {
  case XFER_FEED: kiosk_net__feed_finished(net, t, rc, status); break;
  case XFER_HEARTBEAT: kiosk_net__heartbeat_finished(net, t, rc, status); break;
  case XFER_OUTBOX: kiosk_net__outbox_finished(net, t, rc, status); break;
  case XFER_CALL: kiosk_net__call_finished(net, t, rc, status); break;
  case XFER_IMAGE: kiosk_net__images_finished(net, t, rc, status); break;
  case XFER_SCREENSHOT: kiosk_net__screenshot_finished(net, t, rc, status); break;
  }
}

static void collect_finished_transfers(kiosk_net *net)
{
  CURLMsg *msg;
  int left;
  while ((msg = curl_multi_info_read(net->multi, &left)) != NULL) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    char *private_data = NULL;
    CURLcode rc = msg->data.result;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &private_data);
    transfer *t = (transfer *)(void *)private_data;
    if (!t)
      continue;
    kiosk_net__transfer_unlink(net, t);
    transfer_finished(net, t, rc);
    kiosk_net__transfer_free(t);
  }
}

static void start_due_work(kiosk_net *net, int64_t now_ms)
{
  if (!net->feed.feed_transfer && now_ms >= net->feed.feed_backoff.next_at_ms)
    kiosk_net__feed_start(net);
  if (!net->heartbeat.heartbeat_transfer && now_ms >= net->heartbeat.heartbeat_due_ms)
    kiosk_net__heartbeat_start(net);
  if (!net->delivery.outbox_transfer && kiosk_outbox_count(net->delivery.outbox) > 0 &&
      now_ms >= net->delivery.outbox_backoff.next_at_ms && now_ms >= net->delivery.outbox_hold_until_ms)
    kiosk_net__outbox_start_delivery(net);
  kiosk_net__images_start(net, now_ms);
}

static int64_t earlier(int64_t a, int64_t b)
{
  return a < b ? a : b;
}

/* How long the loop may sleep before something of ours is due; curl
 * shortens it further for its own timers. */
static int sleep_budget_ms(const kiosk_net *net, int64_t now_ms)
{
  int64_t due = now_ms + LOOP_MAX_SLEEP_MS;
  if (!net->feed.feed_transfer)
    due = earlier(due, net->feed.feed_backoff.next_at_ms);
  if (!net->heartbeat.heartbeat_transfer)
    due = earlier(due, net->heartbeat.heartbeat_due_ms);
  if (!net->delivery.outbox_transfer && kiosk_outbox_count(net->delivery.outbox) > 0) {
    int64_t next = net->delivery.outbox_backoff.next_at_ms;
    due = earlier(due, next > net->delivery.outbox_hold_until_ms ? next : net->delivery.outbox_hold_until_ms);
  }
  for (const pending_submit *ps = net->delivery.pending; ps; ps = ps->next)
    due = earlier(due, ps->deadline_ms);
  due = earlier(due, kiosk_net__images_next_ms(net));
  int64_t budget = due - now_ms;
  return budget < 0 ? 0 : (int)budget;
}

static void *network_thread(void *arg)
{
  kiosk_net *net = arg;
  kiosk_net__feed_cache_load(net);
  if (kiosk_outbox_count(net->delivery.outbox) > 0)
    kiosk_net__emit_outbox(net, NULL, NULL);
  while (!atomic_load(&net->stopping)) {
    commands_run_all(net);
    int64_t now_ms = lobby_monotonic_ms();
    start_due_work(net, now_ms);
    kiosk_net__report_expired_pending(net, now_ms);
    int running = 0;
    curl_multi_perform(net->multi, &running);
    collect_finished_transfers(net);
    curl_multi_poll(net->multi, NULL, 0, sleep_budget_ms(net, lobby_monotonic_ms()), NULL);
  }
  return NULL;
}

/* ------------------------------------------------------------ public API */

static char *copy_string(const char *s)
{
  size_t n = strlen(s) + 1;
  char *copy = malloc(n);
  if (copy)
    memcpy(copy, s, n);
  return copy;
}

/* The server URL without a trailing slash, so paths can be appended. */
static char *copy_base_url(const char *url)
{
  char *copy = copy_string(url);
  if (copy) {
    size_t n = strlen(copy);
    while (n > 0 && copy[n - 1] == '/')
      copy[--n] = '\0';
  }
  return copy;
}

static char *make_auth_header(const char *token)
{
  static const char prefix[] = "Authorization: Bearer ";
  size_t n = sizeof prefix + strlen(token);
  char *line = malloc(n);
  if (line)
    snprintf(line, n, "%s%s", prefix, token);
  return line;
}

static int positive_or(int value, int fallback)
{
  return value > 0 ? value : fallback;
}

static lobby_err copy_config(kiosk_net *net, const kiosk_net_config *cfg)
{
  net->settings.poll_wait_s = positive_or(cfg->poll_wait_s, 50);
  if (net->settings.poll_wait_s > SERVER_WAIT_MAX_S)
    net->settings.poll_wait_s = SERVER_WAIT_MAX_S;
  net->settings.heartbeat_s = positive_or(cfg->heartbeat_s, 60);
  net->settings.backoff_max_s = positive_or(cfg->backoff_max_s, 30);
  net->settings.wake = cfg->wake;
  net->settings.wake_ctx = cfg->wake_ctx;
  net->settings.server_url = copy_base_url(cfg->server_url);
  net->settings.auth_header = make_auth_header(cfg->token);
  net->settings.version = copy_string(cfg->version ? cfg->version : "0");
  if (!net->settings.server_url || !net->settings.auth_header || !net->settings.version)
    return LOBBY_ENOMEM;
  if ((cfg->ca_file && *cfg->ca_file && !(net->settings.ca_file = copy_string(cfg->ca_file))) ||
      (cfg->pin && *cfg->pin && !(net->settings.pin = copy_string(cfg->pin))))
    return LOBBY_ENOMEM;
  lobby_err err = kiosk_feed_cache_path(cfg->state_dir, net->settings.feed_cache_path,
                                        sizeof net->settings.feed_cache_path);
  int n = snprintf(net->settings.state_dir, sizeof net->settings.state_dir, "%s", cfg->state_dir);
  net->settings.started_ms = lobby_monotonic_ms();
  return err == LOBBY_OK && n > 0 && (size_t)n < sizeof net->settings.state_dir ? LOBBY_OK : LOBBY_EINVAL;
}

static void events_free_all(kiosk_net *net)
{
  event_node *node = net->mailbox.events_head;
  while (node) {
    event_node *next = node->next;
    kiosk_net__event_free_payload(&node->ev);
    free(node);
    node = next;
  }
  net->mailbox.events_head = net->mailbox.events_tail = NULL;
}

static void transfers_free_all(kiosk_net *net)
{
  while (net->transfers) {
    transfer *t = net->transfers;
    kiosk_net__transfer_unlink(net, t);
    kiosk_net__transfer_free(t);
  }
}

static void pending_free_all(kiosk_net *net)
{
  while (net->delivery.pending) {
    pending_submit *ps = net->delivery.pending;
    net->delivery.pending = ps->next;
    free(ps);
  }
}

/* One kiosk process per state directory: two would deliver the same
 * outbox side by side.  The kernel drops a flock when its holder dies,
 * even by SIGKILL, so a crashed kiosk never locks out its restart. */
static lobby_err lock_state_dir(kiosk_net *net, const char *state_dir)
{
  char path[NET_PATH_MAX];
  int n = snprintf(path, sizeof path, "%s/lock", state_dir);
  if (n < 0 || (size_t)n >= sizeof path)
    return LOBBY_EINVAL;
  net->state_lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (net->state_lock_fd < 0)
    return LOBBY_EIO;
  if (flock(net->state_lock_fd, LOCK_EX | LOCK_NB) != 0) {
    bool busy = errno == EWOULDBLOCK;
    if (busy)
      LOBBY_ERROR("net: another kiosk process is using this state directory");
    return busy ? LOBBY_ECONFLICT : LOBBY_EIO;
  }
  return LOBBY_OK;
}

/* Frees everything; the thread must not be running. */
static void net_free(kiosk_net *net)
{
  transfers_free_all(net);
  if (net->multi)
    curl_multi_cleanup(net->multi);
  command *cmd = net->mailbox.commands_head;
  while (cmd) {
    command *next = cmd->next;
    command_free(cmd);
    cmd = next;
  }
  events_free_all(net);
  pending_free_all(net);
  kiosk_net__images_free(net);
  kiosk_outbox_close(net->delivery.outbox);
  free(net->settings.server_url);
  free(net->settings.auth_header);
  free(net->settings.version);
  free(net->settings.ca_file);
  free(net->settings.pin);
  if (net->state_lock_fd >= 0)
    close(net->state_lock_fd);
  pthread_mutex_destroy(&net->mailbox.lock);
  free(net);
  curl_global_cleanup();
}

static bool config_valid(const kiosk_net_config *cfg)
{
  lobby_tls_problem problem;
  return cfg && cfg->server_url && cfg->server_url[0] && cfg->token && cfg->token[0] &&
         cfg->state_dir && cfg->state_dir[0] && !strpbrk(cfg->token, "\r\n") &&
         lobby_tls_check(cfg->server_url, cfg->ca_file, cfg->pin, &problem) == LOBBY_OK;
}

lobby_err kiosk_net_start(const kiosk_net_config *cfg, kiosk_net **out)
{
  if (!out || !config_valid(cfg))
    return LOBBY_EINVAL;
  if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return LOBBY_EIO;
  kiosk_net *net = calloc(1, sizeof *net);
  if (!net) {
    curl_global_cleanup();
    return LOBBY_ENOMEM;
  }
  net->state_lock_fd = -1;
  pthread_mutex_init(&net->mailbox.lock, NULL);
  atomic_init(&net->stopping, false);
  atomic_init(&net->queued, 0);
  atomic_init(&net->next_request_id, 1);
  lobby_err err = copy_config(net, cfg);
  if (err == LOBBY_OK)
    err = lobby_fs_mkdirs(cfg->state_dir);
  if (err == LOBBY_OK)
    err = lock_state_dir(net, cfg->state_dir);
  /* The outbox is opened here, on the caller's thread, once at start-up
   * (a few small files), so that an unusable state directory is reported
   * by kiosk_net_start rather than found out after a visitor submits. */
  if (err == LOBBY_OK)
    err = kiosk_outbox_open(cfg->state_dir, &net->delivery.outbox);
  if (err == LOBBY_OK && !(net->multi = curl_multi_init()))
    err = LOBBY_ENOMEM;
  if (err == LOBBY_OK) {
    kiosk_net__update_queued_count(net);
    net->heartbeat.heartbeat_due_ms = lobby_monotonic_ms() + (int64_t)net->settings.heartbeat_s * 1000;
    if (pthread_create(&net->thread, NULL, network_thread, net) != 0)
      err = LOBBY_EIO;
  }
  if (err != LOBBY_OK) {
    net_free(net);
    return err;
  }
  net->thread_started = true;
  *out = net;
  return LOBBY_OK;
}

void kiosk_net_stop(kiosk_net *net)
{
  if (!net)
    return;
  atomic_store(&net->stopping, true);
  if (net->thread_started) {
    curl_multi_wakeup(net->multi);
    pthread_join(net->thread, NULL);
  }
  net_free(net);
}

static uint64_t new_request_id(kiosk_net *net)
{
  return (uint64_t)atomic_fetch_add(&net->next_request_id, 1);
}

static command *command_new(kiosk_net *net, command_kind kind)
{
  command *cmd = calloc(1, sizeof *cmd);
  if (cmd) {
    cmd->kind = kind;
    cmd->request_id = new_request_id(net);
  }
  return cmd;
}

lobby_err kiosk_net_submit(kiosk_net *net, kiosk_submit_kind kind, json_t *body, uint64_t *request_id)
{
  if (!net || !json_is_object(body) ||
      (kind != KIOSK_SUBMIT_REPAIR && kind != KIOSK_SUBMIT_VISIT && kind != KIOSK_SUBMIT_COMPLAINT &&
       kind != KIOSK_SUBMIT_RELEASE))
    return LOBBY_EINVAL;
  command *cmd = command_new(net, CMD_SUBMIT);
  if (!cmd)
    return LOBBY_ENOMEM;
  cmd->submit_kind = kind;
  cmd->body = json_deep_copy(body);
  if (!cmd->body) {
    command_free(cmd);
    return LOBBY_ENOMEM;
  }
  if (request_id)
    *request_id = cmd->request_id;
  return command_post(net, cmd);
}

static bool method_supported(const char *method)
{
  static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
    if (strcmp(method, methods[i]) == 0)
      return true;
  return false;
}

lobby_err kiosk_net_call(kiosk_net *net, const char *method, const char *path, json_t *body,
                         const char *etag, int wait_s, uint64_t *request_id)
{
  if (!net || !method || !method_supported(method) || !path || path[0] != '/' ||
      strpbrk(path, " \r\n") || (etag && strpbrk(etag, "\r\n")) || wait_s < 0)
    return LOBBY_EINVAL;
  command *cmd = command_new(net, CMD_CALL);
  if (!cmd)
    return LOBBY_ENOMEM;
  cmd->wait_s = wait_s > SERVER_WAIT_MAX_S ? SERVER_WAIT_MAX_S : wait_s;
  cmd->method = copy_string(method);
  cmd->path = copy_string(path);
  cmd->etag = etag ? copy_string(etag) : NULL;
  cmd->body = body ? json_deep_copy(body) : NULL;
  if (!cmd->method || !cmd->path || (etag && !cmd->etag) || (body && !cmd->body)) {
    command_free(cmd);
    return LOBBY_ENOMEM;
  }
  if (request_id)
    *request_id = cmd->request_id;
  return command_post(net, cmd);
}

lobby_err kiosk_net_lookup_provisional(kiosk_net *net, const char *ref, uint64_t *request_id)
{
  if (!net || !ref || strlen(ref) >= KIOSK_OUTBOX_REF_SIZE)
    return LOBBY_EINVAL;
  command *cmd = command_new(net, CMD_LOOKUP);
  if (!cmd)
    return LOBBY_ENOMEM;
  snprintf(cmd->ref, sizeof cmd->ref, "%s", ref);
  if (request_id)
    *request_id = cmd->request_id;
  return command_post(net, cmd);
}

/* Drops any answer to request_id that is already waiting in the event
 * queue and remembers the id, so a cancelled call never surfaces. */
static void events_drop_result(kiosk_net *net, uint64_t request_id)
{
  pthread_mutex_lock(&net->mailbox.lock);
  net->mailbox.cancelled[net->mailbox.cancelled_next] = request_id;
  net->mailbox.cancelled_next = (net->mailbox.cancelled_next + 1) % CANCELLED_REMEMBERED;
  kiosk_net__events_remove_locked(net, kiosk_net__is_result_of, request_id);
  pthread_mutex_unlock(&net->mailbox.lock);
}

void kiosk_net_cancel(kiosk_net *net, uint64_t request_id)
{
  if (!net || request_id == 0)
    return;
  events_drop_result(net, request_id);
  command *cmd = calloc(1, sizeof *cmd);
  if (cmd) {
    cmd->kind = CMD_CANCEL;
    cmd->request_id = request_id;
    (void)command_post(net, cmd); /* only fails while stopping */
  }
}

bool kiosk_net_poll(kiosk_net *net, kiosk_event *ev)
{
  if (!net || !ev)
    return false;
  pthread_mutex_lock(&net->mailbox.lock);
  event_node *node = net->mailbox.events_head;
  if (node) {
    net->mailbox.events_head = node->next;
    if (!net->mailbox.events_head)
      net->mailbox.events_tail = NULL;
  }
  pthread_mutex_unlock(&net->mailbox.lock);
  if (!node)
    return false;
  *ev = node->ev;
  free(node);
  return true;
}

lobby_err kiosk_net_images_recheck(kiosk_net *net)
{
  if (!net)
    return LOBBY_EINVAL;
  command *cmd = command_new(net, CMD_IMAGES_RECHECK);
  return cmd ? command_post(net, cmd) : LOBBY_ENOMEM;
}

lobby_err kiosk_net_screenshot(kiosk_net *net, const char *request_id, uint8_t *pixels, int width,
                               int height, int blanked)
{
  command *cmd = net ? command_new(net, CMD_SCREENSHOT) : NULL;
  if (cmd)
    cmd->path = strdup(request_id);
  if (!cmd || !cmd->path) {
    free(pixels);
    command_free(cmd);
    return net ? LOBBY_ENOMEM : LOBBY_EINVAL;
  }
  cmd->pixels = pixels;
  cmd->width = width;
  cmd->height = height;
  cmd->blanked = blanked;
  return command_post(net, cmd);
}

int kiosk_net_queued(kiosk_net *net)
{
  return net ? atomic_load(&net->queued) : 0;
}

void kiosk_net_report_audio(kiosk_net *net, kiosk_net_audio audio)
{
  if (net)
    atomic_store(&net->audio, (int)audio);
}
