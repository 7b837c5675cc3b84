#include "qr.h"

#include <qrencode.h>

static QRcode *encode(const char *text)
{
  return QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
}

int kiosk_qr_modules(const char *text)
{
  QRcode *q = encode(text);
  if (!q)
    return 0;
  int n = q->width;
  QRcode_free(q);
  return n;
}

lobby_err kiosk_qr_draw(SDL_Renderer *ren, const char *text, SDL_Rect rect)
{
  QRcode *q = encode(text);
  if (!q)
    return LOBBY_EINVAL;
  int side = rect.w < rect.h ? rect.w : rect.h;
  int total = q->width + 8; /* four modules of quiet zone on each side */
  int m = side / total;
  if (m < 1) {
    QRcode_free(q);
    return LOBBY_ETOOBIG;
  }
  int size = m * total;
  int ox = rect.x + (rect.w - size) / 2, oy = rect.y + (rect.h - size) / 2;
  SDL_SetRenderDrawColor(ren, 255, 255, 255, 255);
  SDL_Rect bg = {ox, oy, size, size};
  SDL_RenderFillRect(ren, &bg);
  SDL_SetRenderDrawColor(ren, 0, 0, 0, 255);
  for (int y = 0; y < q->width; y++)
    for (int x = 0; x < q->width; x++)
      if (q->data[y * q->width + x] & 1) {
        SDL_Rect c = {ox + (x + 4) * m, oy + (y + 4) * m, m, m};
        SDL_RenderFillRect(ren, &c);
      }
  QRcode_free(q);
  return LOBBY_OK;
}
