/* Drawing primitives on top of SDL_RenderGeometry: rounded rectangles,
 * circles and convex polygons, used by widgets and the category icons. */
#ifndef KIOSK_DRAW_H
#define KIOSK_DRAW_H

#include <SDL2/SDL.h>

void kiosk_fill_rect(SDL_Renderer *r, SDL_Rect rect, SDL_Color c);
void kiosk_fill_round(SDL_Renderer *r, SDL_Rect rect, int radius, SDL_Color c);
/* A rounded outline of the given thickness, drawn as an outer fill with
 * the inner colour on top. */
void kiosk_frame_round(SDL_Renderer *r, SDL_Rect rect, int radius, int thick, SDL_Color border,
                       SDL_Color inner);
void kiosk_fill_circle(SDL_Renderer *r, float cx, float cy, float radius, SDL_Color c);
void kiosk_fill_ring(SDL_Renderer *r, float cx, float cy, float r_out, float r_in, float a0, float a1,
                     SDL_Color c);
void kiosk_fill_poly(SDL_Renderer *r, const SDL_FPoint *pts, int n, SDL_Color c);
void kiosk_fill_quad_line(SDL_Renderer *r, float x0, float y0, float x1, float y1, float thick,
                          SDL_Color c);

SDL_Color kiosk_rgb(unsigned hex);
SDL_Color kiosk_mix(SDL_Color a, SDL_Color b, float t);

typedef enum {
  ICON_NONE = -1,
  ICON_WATER, ICON_ELECTRIC, ICON_DOOR_LOCK, ICON_LIFT, ICON_APPLIANCE, ICON_PUBLIC_AREA,
  ICON_OTHER, ICON_WORKS, ICON_OUTAGE, ICON_FEES, ICON_SAFETY, ICON_COMMUNITY, ICON_INFO,
  ICON_REPAIR, ICON_SEARCH, ICON_VISITOR_IN, ICON_VISITOR_OUT, ICON_PHONE, ICON_ALERT,
  ICON_BACK, ICON_HOME, ICON_GLOBE, ICON_PIN, ICON_OFFLINE, ICON_CHECK, ICON_CLOCK,
  ICON_PARCEL_OUT, ICON_SPEAKER, ICON_STOP,
  ICON_COUNT
} kiosk_icon;

/* Draws an icon filling the square centred in rect; cut-outs take bg. */
void kiosk_icon_draw(SDL_Renderer *r, kiosk_icon icon, SDL_Rect rect, SDL_Color fg, SDL_Color bg);

#endif
