/* The notices' pictures on the UI thread: which ones the feed shows, the
 * decoder that turns their cached files into surfaces off this thread,
 * and the textures made from those surfaces here. */
#include "kiosk_app.h"

#include "lobby_log.h"
#include "picture_decoder.h"

static void decoder_wake(void *ctx)
{
  kiosk_app_wake(ctx);
}

/* The decoder's thread starts with the first feed that has a picture, so
 * a kiosk whose notices have none never runs it. */
static bool decoder_ready(kiosk_app *app)
{
  kiosk_picture_part *pp = &app->pictures;
  if (pp->decoder || pp->decoder_failed)
    return pp->decoder != NULL;
  lobby_err err = kiosk_decoder_start(app->cfg.state_dir, app->m.w, app->m.h, decoder_wake, app, &pp->decoder);
  if (err != LOBBY_OK) {
    pp->decoder_failed = true;
    LOBBY_ERROR("pictures: cannot start the decoder: %s; notices show text only", lobby_strerror(err));
  }
  return pp->decoder != NULL;
}

static void ask_decoder(kiosk_app *app, kiosk_picture *pic)
{
  if (!decoder_ready(app))
    return;
  if (kiosk_decoder_request(app->pictures.decoder, pic->key) == LOBBY_OK)
    pic->state = KIOSK_PICTURE_PENDING;
  else
    pic->state = KIOSK_PICTURE_MISSING;
}

/* Marks a picture of the feed as wanted, asking for it when new. */
static void want(kiosk_app *app, const char *etag)
{
  kiosk_picture *pic = kiosk_pictures_find(&app->pictures.store, etag);
  if (pic) {
    pic->wanted = true;
    return;
  }
  if (kiosk_pictures_add(&app->pictures.store, etag, &pic) == LOBBY_OK)
    ask_decoder(app, pic);
}

void kiosk_app_pictures_feed(kiosk_app *app)
{
  const json_t *notices = kiosk_feed_notices(app);
  kiosk_pictures_unmark(&app->pictures.store);
  for (size_t i = 0; i < kiosk_api_notice_count(notices); i++) {
    kiosk_api_notice n;
    if (kiosk_api_notice_at(notices, i, &n) == LOBBY_OK && n.image_etag)
      want(app, n.image_etag);
  }
  kiosk_pictures_sweep(&app->pictures.store);
}

void kiosk_app_picture_cached(kiosk_app *app, const char *etag)
{
  kiosk_picture *pic = kiosk_pictures_find(&app->pictures.store, etag);
  if (pic && pic->state != KIOSK_PICTURE_READY)
    ask_decoder(app, pic);
}

static void take_result(kiosk_app *app, kiosk_decoded *r)
{
  kiosk_picture *pic = kiosk_pictures_find(&app->pictures.store, r->etag);
  if (r->err == LOBBY_OK && pic) {
    kiosk_picture_set_surface(pic, r->surface);
    /* Its texture is made now, as it arrives, not in the frame where its
     * card first scrolls into view: uploading a screen-sized picture
     * takes longer than a frame of a drag. */
    SDL_Texture *t;
    if (app->display.ren && kiosk_picture_texture(&app->pictures.store, pic, app->display.ren, &t) != LOBBY_OK)
      LOBBY_WARN("pictures: no texture for %s yet", r->etag);
    app->dirty = true;
    return;
  }
  if (r->surface)
    SDL_FreeSurface(r->surface);
  if (!pic || pic->state == KIOSK_PICTURE_READY)
    return;
  pic->state = KIOSK_PICTURE_MISSING;
  /* The decoder deleted a damaged file: the network thread fetches it
   * again and says so with KIOSK_EV_IMAGE. */
  if (r->err == LOBBY_EINVAL && app->link.net && kiosk_net_images_recheck(app->link.net) != LOBBY_OK)
    LOBBY_WARN("pictures: could not ask for %s again", r->etag);
}

void kiosk_app_pictures_drain(kiosk_app *app)
{
  kiosk_decoded r;
  while (app->pictures.decoder && kiosk_decoder_poll(app->pictures.decoder, &r))
    take_result(app, &r);
}

void kiosk_app_pictures_lost_renderer(kiosk_app *app)
{
  kiosk_pictures *store = &app->pictures.store;
  kiosk_pictures_forget_textures(store);
  for (int i = 0; i < store->n; i++)
    if (store->v[i].state == KIOSK_PICTURE_PENDING)
      ask_decoder(app, &store->v[i]);
}

void kiosk_app_pictures_free(kiosk_app *app)
{
  kiosk_decoder_stop(app->pictures.decoder);
  app->pictures.decoder = NULL;
  kiosk_pictures_free(&app->pictures.store);
}

bool kiosk_app_picture(kiosk_app *app, const char *etag, kiosk_picture_view *out)
{
  kiosk_picture *pic = etag ? kiosk_pictures_find(&app->pictures.store, etag) : NULL;
  if (!pic || kiosk_picture_texture(&app->pictures.store, pic, app->display.ren, &out->texture) != LOBBY_OK)
    return false;
  out->serial = pic->serial;
  out->w = pic->w;
  out->h = pic->h;
  return true;
}

SDL_Rect kiosk_app_picture_widget(kiosk_app *app, kiosk_ui *ui, const char *etag, SDL_Rect box, int clip)
{
  kiosk_picture_view v;
  if (!kiosk_app_picture(app, etag, &v))
    return (SDL_Rect){box.x, box.y, 0, 0};
  SDL_Rect r = kiosk_picture_fit(v.w, v.h, box);
  kiosk_widget *w = kiosk_ui_add(ui, KW_PICTURE, r, NULL);
  w->picture = v.texture;
  w->picture_serial = v.serial;
  w->clip = clip;
  return r;
}
