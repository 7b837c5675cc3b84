/* Category and action icons drawn from primitives in a unit square, so
 * they scale to any screen and need no third-party art. */
#include "draw.h"

typedef struct {
  SDL_Renderer *r;
  float ox, oy, s;
  SDL_Color c, bg;
} pen;

static float X(const pen *p, float v) { return p->ox + v * p->s; }
static float Y(const pen *p, float v) { return p->oy + v * p->s; }

static void circ(const pen *p, float x, float y, float rad) { kiosk_fill_circle(p->r, X(p, x), Y(p, y), rad * p->s, p->c); }
static void circ_c(const pen *p, float x, float y, float rad, SDL_Color c) { kiosk_fill_circle(p->r, X(p, x), Y(p, y), rad * p->s, c); }
static void ring(const pen *p, float x, float y, float ro, float ri, float a0, float a1)
{
  kiosk_fill_ring(p->r, X(p, x), Y(p, y), ro * p->s, ri * p->s, a0, a1, p->c);
}
static void box(const pen *p, float x, float y, float w, float h)
{
  SDL_FPoint q[4] = {{X(p, x), Y(p, y)}, {X(p, x + w), Y(p, y)}, {X(p, x + w), Y(p, y + h)}, {X(p, x), Y(p, y + h)}};
  kiosk_fill_poly(p->r, q, 4, p->c);
}
static void box_c(const pen *p, float x, float y, float w, float h, SDL_Color c)
{
  SDL_FPoint q[4] = {{X(p, x), Y(p, y)}, {X(p, x + w), Y(p, y)}, {X(p, x + w), Y(p, y + h)}, {X(p, x), Y(p, y + h)}};
  kiosk_fill_poly(p->r, q, 4, c);
}
static void tri(const pen *p, float x0, float y0, float x1, float y1, float x2, float y2)
{
  SDL_FPoint q[3] = {{X(p, x0), Y(p, y0)}, {X(p, x1), Y(p, y1)}, {X(p, x2), Y(p, y2)}};
  kiosk_fill_poly(p->r, q, 3, p->c);
}
static void line(const pen *p, float x0, float y0, float x1, float y1, float t)
{
  kiosk_fill_quad_line(p->r, X(p, x0), Y(p, y0), X(p, x1), Y(p, y1), t * p->s, p->c);
}

/* Cut-outs are drawn in the background colour. */
static SDL_Color hole(const pen *p) { return p->bg; }

static void icon_water(const pen *p)
{
  circ(p, 0.5f, 0.62f, 0.26f);
  tri(p, 0.5f, 0.08f, 0.26f, 0.56f, 0.74f, 0.56f);
}

static void icon_electric(const pen *p)
{
  SDL_FPoint a[4] = {{X(p, 0.58f), Y(p, 0.05f)}, {X(p, 0.22f), Y(p, 0.56f)}, {X(p, 0.50f), Y(p, 0.56f)}, {X(p, 0.62f), Y(p, 0.42f)}};
  SDL_FPoint b[4] = {{X(p, 0.42f), Y(p, 0.95f)}, {X(p, 0.78f), Y(p, 0.44f)}, {X(p, 0.50f), Y(p, 0.44f)}, {X(p, 0.38f), Y(p, 0.58f)}};
  kiosk_fill_poly(p->r, a, 4, p->c);
  kiosk_fill_poly(p->r, b, 4, p->c);
}

static void icon_lock(const pen *p)
{
  ring(p, 0.5f, 0.42f, 0.24f, 0.15f, 180, 360);
  box(p, 0.26f, 0.40f, 0.09f, 0.08f);
  box(p, 0.65f, 0.40f, 0.09f, 0.08f);
  box(p, 0.18f, 0.46f, 0.64f, 0.46f);
  circ_c(p, 0.5f, 0.64f, 0.07f, hole(p));
  box_c(p, 0.47f, 0.66f, 0.06f, 0.14f, hole(p));
}

static void icon_lift(const pen *p)
{
  box(p, 0.18f, 0.08f, 0.64f, 0.84f);
  SDL_Color h = hole(p);
  tri(&(pen){p->r, p->ox, p->oy, p->s, h, h}, 0.5f, 0.18f, 0.34f, 0.40f, 0.66f, 0.40f);
  tri(&(pen){p->r, p->ox, p->oy, p->s, h, h}, 0.5f, 0.82f, 0.34f, 0.60f, 0.66f, 0.60f);
}

static void icon_appliance(const pen *p)
{
  box(p, 0.18f, 0.06f, 0.64f, 0.88f);
  box_c(p, 0.24f, 0.12f, 0.52f, 0.12f, hole(p));
  circ_c(p, 0.5f, 0.58f, 0.22f, hole(p));
  circ(p, 0.5f, 0.58f, 0.13f);
}

static void icon_public(const pen *p)
{
  tri(p, 0.5f, 0.06f, 0.08f, 0.36f, 0.92f, 0.36f);
  box(p, 0.14f, 0.36f, 0.72f, 0.06f);
  for (int i = 0; i < 4; i++)
    box(p, 0.18f + i * 0.19f, 0.44f, 0.08f, 0.38f);
  box(p, 0.08f, 0.84f, 0.84f, 0.08f);
}

static void icon_dots(const pen *p)
{
  circ(p, 0.2f, 0.5f, 0.1f);
  circ(p, 0.5f, 0.5f, 0.1f);
  circ(p, 0.8f, 0.5f, 0.1f);
}

static void icon_works(const pen *p)
{
  /* A traffic cone. */
  tri(p, 0.5f, 0.06f, 0.2f, 0.84f, 0.8f, 0.84f);
  box_c(p, 0.33f, 0.40f, 0.34f, 0.08f, hole(p));
  box_c(p, 0.27f, 0.60f, 0.46f, 0.08f, hole(p));
  box(p, 0.1f, 0.84f, 0.8f, 0.1f);
}

static void icon_parcel_out(const pen *p)
{
  /* A parcel with its tape, and an arrow leading out to the right. */
  box(p, 0.06f, 0.34f, 0.56f, 0.56f);
  box_c(p, 0.30f, 0.34f, 0.08f, 0.56f, hole(p));
  box_c(p, 0.06f, 0.26f, 0.56f, 0.06f, p->c);
  line(p, 0.62f, 0.5f, 0.86f, 0.5f, 0.09f);
  tri(p, 0.98f, 0.5f, 0.80f, 0.34f, 0.80f, 0.66f);
}

static void icon_outage(const pen *p)
{
  icon_water(p);
  line(p, 0.12f, 0.12f, 0.88f, 0.92f, 0.09f);
}

static void icon_fees(const pen *p)
{
  ring(p, 0.5f, 0.5f, 0.44f, 0.36f, 0, 360);
  line(p, 0.34f, 0.24f, 0.5f, 0.48f, 0.08f);
  line(p, 0.66f, 0.24f, 0.5f, 0.48f, 0.08f);
  line(p, 0.5f, 0.46f, 0.5f, 0.8f, 0.08f);
  line(p, 0.32f, 0.52f, 0.68f, 0.52f, 0.07f);
  line(p, 0.32f, 0.66f, 0.68f, 0.66f, 0.07f);
}

static void icon_safety(const pen *p)
{
  SDL_FPoint s[6] = {{X(p, 0.5f), Y(p, 0.05f)}, {X(p, 0.86f), Y(p, 0.18f)}, {X(p, 0.82f), Y(p, 0.58f)},
                     {X(p, 0.5f), Y(p, 0.95f)}, {X(p, 0.18f), Y(p, 0.58f)}, {X(p, 0.14f), Y(p, 0.18f)}};
  kiosk_fill_poly(p->r, s, 6, p->c);
  pen h = {p->r, p->ox, p->oy, p->s, hole(p), hole(p)};
  line(&h, 0.32f, 0.5f, 0.46f, 0.64f, 0.09f);
  line(&h, 0.44f, 0.64f, 0.7f, 0.34f, 0.09f);
}

static void icon_community(const pen *p)
{
  circ(p, 0.32f, 0.3f, 0.13f);
  circ(p, 0.68f, 0.3f, 0.13f);
  ring(p, 0.32f, 0.86f, 0.26f, 0.0f, 180, 360);
  ring(p, 0.68f, 0.86f, 0.26f, 0.0f, 180, 360);
}

static void icon_info(const pen *p)
{
  circ(p, 0.5f, 0.5f, 0.44f);
  pen h = {p->r, p->ox, p->oy, p->s, hole(p), hole(p)};
  circ(&h, 0.5f, 0.28f, 0.07f);
  box(&h, 0.44f, 0.42f, 0.12f, 0.34f);
}

static void icon_repair(const pen *p)
{
  /* A wrench: a ring with a gap and a handle. */
  /* The jaw opens away from the handle, to the top left. */
  ring(p, 0.32f, 0.32f, 0.26f, 0.12f, 265, 545);
  line(p, 0.42f, 0.42f, 0.88f, 0.88f, 0.17f);
}

static void icon_search(const pen *p)
{
  ring(p, 0.42f, 0.42f, 0.32f, 0.22f, 0, 360);
  line(p, 0.64f, 0.64f, 0.9f, 0.9f, 0.14f);
}

static void person(const pen *p, float x)
{
  circ(p, x, 0.26f, 0.16f);
  ring(p, x, 0.92f, 0.32f, 0.0f, 180, 360);
}

static void icon_visitor_in(const pen *p)
{
  person(p, 0.36f);
  line(p, 0.68f, 0.5f, 0.96f, 0.5f, 0.08f);
  tri(p, 0.66f, 0.5f, 0.78f, 0.38f, 0.78f, 0.62f);
}

static void icon_visitor_out(const pen *p)
{
  person(p, 0.36f);
  line(p, 0.64f, 0.5f, 0.86f, 0.5f, 0.08f);
  tri(p, 0.98f, 0.5f, 0.84f, 0.36f, 0.84f, 0.64f);
}

static void icon_phone(const pen *p)
{
  /* A mobile phone: body, screen and button. */
  SDL_Rect body = {(int)X(p, 0.24f), (int)Y(p, 0.04f), (int)(0.52f * p->s), (int)(0.92f * p->s)};
  kiosk_fill_round(p->r, body, (int)(0.1f * p->s), p->c);
  box_c(p, 0.31f, 0.15f, 0.38f, 0.58f, hole(p));
  circ_c(p, 0.5f, 0.84f, 0.05f, hole(p));
}

static void icon_alert(const pen *p)
{
  tri(p, 0.5f, 0.04f, 0.02f, 0.92f, 0.98f, 0.92f);
  pen h = {p->r, p->ox, p->oy, p->s, hole(p), hole(p)};
  box(&h, 0.45f, 0.32f, 0.1f, 0.34f);
  circ(&h, 0.5f, 0.78f, 0.06f);
}

static void icon_back(const pen *p)
{
  line(p, 0.3f, 0.5f, 0.88f, 0.5f, 0.14f);
  tri(p, 0.08f, 0.5f, 0.44f, 0.18f, 0.44f, 0.82f);
}

/* A loudspeaker and two sound waves: read aloud. */
static void icon_speaker(const pen *p)
{
  box(p, 0.06f, 0.36f, 0.18f, 0.28f);
  tri(p, 0.22f, 0.36f, 0.50f, 0.10f, 0.50f, 0.90f);
  tri(p, 0.22f, 0.36f, 0.50f, 0.90f, 0.22f, 0.64f);
  ring(p, 0.50f, 0.5f, 0.24f, 0.16f, 315, 405);
  ring(p, 0.50f, 0.5f, 0.44f, 0.36f, 315, 405);
}

/* A square: stop. */
static void icon_stop(const pen *p) { box(p, 0.18f, 0.18f, 0.64f, 0.64f); }

static void icon_home(const pen *p)
{
  tri(p, 0.5f, 0.06f, 0.04f, 0.48f, 0.96f, 0.48f);
  box(p, 0.18f, 0.46f, 0.64f, 0.46f);
  box_c(p, 0.42f, 0.62f, 0.16f, 0.30f, hole(p));
}

static void icon_globe(const pen *p)
{
  ring(p, 0.5f, 0.5f, 0.44f, 0.36f, 0, 360);
  line(p, 0.1f, 0.5f, 0.9f, 0.5f, 0.07f);
  line(p, 0.5f, 0.08f, 0.5f, 0.92f, 0.07f);
  ring(p, 0.5f, 0.5f, 0.22f, 0.15f, 0, 360);
}

static void icon_pin(const pen *p)
{
  circ(p, 0.5f, 0.32f, 0.22f);
  box(p, 0.26f, 0.46f, 0.48f, 0.10f);
  line(p, 0.5f, 0.5f, 0.5f, 0.96f, 0.08f);
}

static void icon_offline(const pen *p)
{
  ring(p, 0.5f, 0.9f, 0.8f, 0.66f, 225, 315);
  ring(p, 0.5f, 0.9f, 0.52f, 0.38f, 225, 315);
  circ(p, 0.5f, 0.86f, 0.1f);
  line(p, 0.12f, 0.1f, 0.88f, 0.9f, 0.08f);
}

static void icon_check(const pen *p)
{
  line(p, 0.12f, 0.52f, 0.4f, 0.8f, 0.14f);
  line(p, 0.36f, 0.8f, 0.9f, 0.2f, 0.14f);
}

static void icon_clock(const pen *p)
{
  ring(p, 0.5f, 0.5f, 0.44f, 0.35f, 0, 360);
  line(p, 0.5f, 0.5f, 0.5f, 0.22f, 0.08f);
  line(p, 0.5f, 0.5f, 0.7f, 0.6f, 0.08f);
}

void kiosk_icon_draw(SDL_Renderer *r, kiosk_icon icon, SDL_Rect rect, SDL_Color fg, SDL_Color bg)
{
  float s = (float)(rect.w < rect.h ? rect.w : rect.h);
  pen p = {r, rect.x + (rect.w - s) / 2, rect.y + (rect.h - s) / 2, s, fg, bg};
  switch (icon) {
  case ICON_WATER: icon_water(&p); break;
  case ICON_ELECTRIC: icon_electric(&p); break;
  case ICON_DOOR_LOCK: icon_lock(&p); break;
  case ICON_LIFT: icon_lift(&p); break;
  case ICON_APPLIANCE: icon_appliance(&p); break;
  case ICON_PUBLIC_AREA: icon_public(&p); break;
  case ICON_OTHER: icon_dots(&p); break;
  case ICON_WORKS: icon_works(&p); break;
  case ICON_OUTAGE: icon_outage(&p); break;
  case ICON_FEES: icon_fees(&p); break;
  case ICON_SAFETY: icon_safety(&p); break;
  case ICON_COMMUNITY: icon_community(&p); break;
  case ICON_INFO: icon_info(&p); break;
  case ICON_REPAIR: icon_repair(&p); break;
  case ICON_SEARCH: icon_search(&p); break;
  case ICON_VISITOR_IN: icon_visitor_in(&p); break;
  case ICON_VISITOR_OUT: icon_visitor_out(&p); break;
  case ICON_PHONE: icon_phone(&p); break;
  case ICON_ALERT: icon_alert(&p); break;
  case ICON_BACK: icon_back(&p); break;
  case ICON_HOME: icon_home(&p); break;
  case ICON_GLOBE: icon_globe(&p); break;
  case ICON_PIN: icon_pin(&p); break;
  case ICON_OFFLINE: icon_offline(&p); break;
  case ICON_CHECK: icon_check(&p); break;
  case ICON_CLOCK: icon_clock(&p); break;
  case ICON_PARCEL_OUT: icon_parcel_out(&p); break;
  case ICON_SPEAKER: icon_speaker(&p); break;
  case ICON_STOP: icon_stop(&p); break;
  default: break;
  }
}
