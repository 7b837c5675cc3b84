#include "handlers.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "feed.h"
#include "longpoll.h"

void idem_init(http_request *r, const char *key, idem_ctx *ctx)
{
  memset(ctx, 0, sizeof *ctx);
  snprintf(ctx->scope, sizeof ctx->scope, "%s:%lld", r->who.role == ROLE_KIOSK ? "kiosk" : "staff",
           (long long)r->who.id);
  ctx->idem.scope = ctx->scope;
  ctx->idem.key = key;
  /* The hash binds the key to this exact request: the same key with
   * another body is a client bug, not a retry. */
  crypto_generichash_state st;
  crypto_generichash_init(&st, NULL, 0, sizeof ctx->idem.request_hash);
  crypto_generichash_update(&st, (const unsigned char *)r->method, strlen(r->method));
  crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
  crypto_generichash_update(&st, (const unsigned char *)r->path, strlen(r->path));
  crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
  if (r->body)
    crypto_generichash_update(&st, (const unsigned char *)r->body, r->body_len);
  crypto_generichash_final(&st, ctx->idem.request_hash, sizeof ctx->idem.request_hash);
}

void feed_changed(lobbyd *d)
{
  feed_invalidate(d->feed);
  longpoll_notify(d->poll);
}

bool body_object(http_request *r, json_t **obj, const char *const *allowed, enum MHD_Result *ret)
{
  http_error e;
  if (jin_parse(r, obj, &e) == LOBBY_OK) {
    if (jin_only(*obj, allowed, NULL, &e) == LOBBY_OK)
      return true;
    json_decref(*obj);
    *obj = NULL;
  }
  *ret = http_reply_error(r, &e);
  return false;
}
