/* GET /api/v1/qr.svg?text=…: a QR code as SVG, made with libqrencode (as
 * the kiosk makes its codes), so the console prints a worker's pass card
 * without a JavaScript QR library.  Text is 1-64 printable ASCII
 * characters: a pass code or a short link, never personal data. */
#include "handlers.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QR_TEXT_MAX 64
/* The quiet zone the QR standard asks for, in modules. */
#define QR_MARGIN 4

static bool text_printable(const char *t)
{
  size_t n = t ? strlen(t) : 0;
  if (n < 1 || n > QR_TEXT_MAX)
    return false;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)t[i] < 0x20 || (unsigned char)t[i] > 0x7e)
      return false;
  return true;
}

/* Appends one run of dark modules in row y from x, n long. */
static bool append_run(char *buf, size_t size, size_t *len, int x, int y, int n)
{
  int w = snprintf(buf + *len, size - *len, "M%d %dh%dv1h-%dz", x + QR_MARGIN, y + QR_MARGIN, n, n);
  if (w < 0 || (size_t)w >= size - *len)
    return false;
  *len += (size_t)w;
  return true;
}

/* The code as one path of horizontal runs, in a square with the quiet
 * zone; *out is malloc'd (free it). */
static bool svg_of(const QRcode *q, char **out, size_t *out_len)
{
  int side = q->width + 2 * QR_MARGIN;
  size_t size = 512 + (size_t)q->width * (size_t)q->width * 24;
  char *buf = malloc(size);
  size_t len = 0;
  if (!buf)
    return false;
  len = (size_t)snprintf(buf, size,
                         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                         "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
                         "fill=\"#fff\"/><path fill=\"#000\" d=\"", side, side, side, side);
  bool ok = true;
  for (int y = 0; y < q->width && ok; y++)
    for (int x = 0; x < q->width && ok;) {
      int n = 0;
      while (x + n < q->width && (q->data[y * q->width + x + n] & 1))
        n++;
      if (n)
        ok = append_run(buf, size, &len, x, y, n);
      x += n ? n : 1;
    }
  int w = ok ? snprintf(buf + len, size - len, "\"/></svg>\n") : -1;
  if (w < 0 || (size_t)w >= size - len) {
    free(buf);
    return false;
  }
  *out = buf;
  *out_len = len + (size_t)w;
  return true;
}

enum MHD_Result handle_qr_svg(http_request *r)
{
  const char *text = http_query(r, "text");
  if (!text_printable(text))
    return http_fail(r, 400, "invalid_field",
                     "text: 1 to %d printable ASCII characters (a pass code or a link)", QR_TEXT_MAX);
  QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  char *svg = NULL;
  size_t len = 0;
  bool ok = q && svg_of(q, &svg, &len);
  QRcode_free(q);
  if (!ok)
    return http_fail(r, 500, "internal", "the QR code could not be made");
  static const char *const names[] = {"Cache-Control"};
  static const char *const values[] = {"private, max-age=3600"};
  enum MHD_Result ret = http_reply_buffer(r, 200, "image/svg+xml", svg, len, names, values, 1);
  free(svg);
  return ret;
}
