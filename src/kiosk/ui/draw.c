#include "draw.h"

#include <math.h>
#include <stdlib.h>

#define MAX_POLY 160

SDL_Color kiosk_rgb(unsigned hex)
{
  return (SDL_Color){(Uint8)(hex >> 16), (Uint8)(hex >> 8), (Uint8)hex, 255};
}

SDL_Color kiosk_mix(SDL_Color a, SDL_Color b, float t)
{
  return (SDL_Color){(Uint8)(a.r + (b.r - a.r) * t), (Uint8)(a.g + (b.g - a.g) * t),
                     (Uint8)(a.b + (b.b - a.b) * t), (Uint8)(a.a + (b.a - a.a) * t)};
}

/* Opaque colours skip per-pixel blending: on the software renderer that
 * turns fills into plain memory writes. */
static void set_color(SDL_Renderer *r, SDL_Color c)
{
  SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
  SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
}

void kiosk_fill_rect(SDL_Renderer *r, SDL_Rect rect, SDL_Color c)
{
  set_color(r, c);
  SDL_RenderFillRect(r, &rect);
}

/* A convex polygon as a triangle fan around its first point. */
void kiosk_fill_poly(SDL_Renderer *r, const SDL_FPoint *pts, int n, SDL_Color c)
{
  if (n < 3 || n > MAX_POLY)
    return;
  set_color(r, c);
  SDL_Vertex v[MAX_POLY];
  int idx[(MAX_POLY - 2) * 3];
  for (int i = 0; i < n; i++)
    v[i] = (SDL_Vertex){pts[i], c, {0, 0}};
  int k = 0;
  for (int i = 1; i + 1 < n; i++) {
    idx[k++] = 0;
    idx[k++] = i;
    idx[k++] = i + 1;
  }
  SDL_RenderGeometry(r, NULL, v, n, idx, k);
}

/* A quarter disc as a small fan at corner (cx, cy), from angle a0. */
static void corner(SDL_Renderer *r, float cx, float cy, int radius, double a0, SDL_Color c)
{
  enum { SEG = 8 };
  SDL_FPoint p[SEG + 2];
  p[0] = (SDL_FPoint){cx, cy};
  for (int i = 0; i <= SEG; i++) {
    double a = (a0 + i * 90.0 / SEG) * M_PI / 180.0;
    p[i + 1] = (SDL_FPoint){cx + (float)(cos(a) * radius), cy - (float)(sin(a) * radius)};
  }
  kiosk_fill_poly(r, p, SEG + 2, c);
}

/* The body is three rectangles (fast fills) and only the corners are
 * triangles. */
void kiosk_fill_round(SDL_Renderer *r, SDL_Rect rect, int radius, SDL_Color c)
{
  int maxr = (rect.w < rect.h ? rect.w : rect.h) / 2;
  if (radius > maxr)
    radius = maxr;
  if (radius <= 1) {
    kiosk_fill_rect(r, rect, c);
    return;
  }
  kiosk_fill_rect(r, (SDL_Rect){rect.x + radius, rect.y, rect.w - 2 * radius, rect.h}, c);
  kiosk_fill_rect(r, (SDL_Rect){rect.x, rect.y + radius, radius, rect.h - 2 * radius}, c);
  kiosk_fill_rect(r, (SDL_Rect){rect.x + rect.w - radius, rect.y + radius, radius, rect.h - 2 * radius}, c);
  float l = (float)(rect.x + radius), t = (float)(rect.y + radius);
  float rt = (float)(rect.x + rect.w - radius), b = (float)(rect.y + rect.h - radius);
  corner(r, rt, t, radius, 0, c);
  corner(r, l, t, radius, 90, c);
  corner(r, l, b, radius, 180, c);
  corner(r, rt, b, radius, 270, c);
}

void kiosk_frame_round(SDL_Renderer *r, SDL_Rect rect, int radius, int thick, SDL_Color border,
                       SDL_Color inner)
{
  kiosk_fill_round(r, rect, radius, border);
  SDL_Rect in = {rect.x + thick, rect.y + thick, rect.w - 2 * thick, rect.h - 2 * thick};
  if (in.w > 0 && in.h > 0)
    kiosk_fill_round(r, in, radius - thick, inner);
}

void kiosk_fill_circle(SDL_Renderer *r, float cx, float cy, float radius, SDL_Color c)
{
  enum { SEG = 40 };
  SDL_FPoint p[SEG];
  for (int i = 0; i < SEG; i++) {
    double a = i * 2 * M_PI / SEG;
    p[i] = (SDL_FPoint){cx + (float)(cos(a) * radius), cy + (float)(sin(a) * radius)};
  }
  kiosk_fill_poly(r, p, SEG, c);
}

/* An arc band between two radii, angles in degrees (0 = right, clockwise
 * on screen). */
void kiosk_fill_ring(SDL_Renderer *r, float cx, float cy, float r_out, float r_in, float a0, float a1,
                     SDL_Color c)
{
  enum { SEG = 32 };
  SDL_Vertex v[2 * (SEG + 1)];
  int idx[SEG * 6];
  for (int i = 0; i <= SEG; i++) {
    double a = (a0 + (a1 - a0) * i / SEG) * M_PI / 180.0;
    float ca = (float)cos(a), sa = (float)sin(a);
    v[2 * i] = (SDL_Vertex){{cx + ca * r_out, cy + sa * r_out}, c, {0, 0}};
    v[2 * i + 1] = (SDL_Vertex){{cx + ca * r_in, cy + sa * r_in}, c, {0, 0}};
  }
  int k = 0;
  for (int i = 0; i < SEG; i++) {
    int a = 2 * i;
    idx[k++] = a;
    idx[k++] = a + 1;
    idx[k++] = a + 2;
    idx[k++] = a + 1;
    idx[k++] = a + 3;
    idx[k++] = a + 2;
  }
  set_color(r, c);
  SDL_RenderGeometry(r, NULL, v, 2 * (SEG + 1), idx, k);
}

void kiosk_fill_quad_line(SDL_Renderer *r, float x0, float y0, float x1, float y1, float thick,
                          SDL_Color c)
{
  float dx = x1 - x0, dy = y1 - y0;
  float len = sqrtf(dx * dx + dy * dy);
  if (len <= 0)
    return;
  float nx = -dy / len * thick / 2, ny = dx / len * thick / 2;
  SDL_FPoint p[4] = {{x0 + nx, y0 + ny}, {x1 + nx, y1 + ny}, {x1 - nx, y1 - ny}, {x0 - nx, y0 - ny}};
  kiosk_fill_poly(r, p, 4, c);
}
