#include "longpoll_heap.h"

#include <stdlib.h>

static void place(longpoll_heap *h, size_t i, http_request *r)
{
  h->items[i] = r;
  r->poll.heap_index = (ptrdiff_t)i;
}

static void sift_up(longpoll_heap *h, size_t i)
{
  http_request *r = h->items[i];
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (h->items[parent]->poll.deadline_ms <= r->poll.deadline_ms)
      break;
    place(h, i, h->items[parent]);
    i = parent;
  }
  place(h, i, r);
}

static void sift_down(longpoll_heap *h, size_t i)
{
  http_request *r = h->items[i];
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= h->count)
      break;
    if (child + 1 < h->count &&
        h->items[child + 1]->poll.deadline_ms < h->items[child]->poll.deadline_ms)
      child++;
    if (r->poll.deadline_ms <= h->items[child]->poll.deadline_ms)
      break;
    place(h, i, h->items[child]);
    i = child;
  }
  place(h, i, r);
}

void longpoll_heap_free(longpoll_heap *h)
{
  free(h->items);
  h->items = NULL;
  h->count = h->cap = 0;
}

lobby_err longpoll_heap_push(longpoll_heap *h, http_request *r)
{
  if (h->count == h->cap) {
    size_t cap = h->cap ? h->cap * 2 : 256;
    http_request **grown = realloc(h->items, cap * sizeof *grown);
    if (!grown)
      return LOBBY_ENOMEM;
    h->items = grown;
    h->cap = cap;
  }
  place(h, h->count++, r);
  sift_up(h, h->count - 1);
  return LOBBY_OK;
}

void longpoll_heap_remove(longpoll_heap *h, http_request *r)
{
  size_t i = (size_t)r->poll.heap_index;
  r->poll.heap_index = -1;
  http_request *last = h->items[--h->count];
  if (i == h->count)
    return;
  place(h, i, last);
  /* The moved request may belong above or below its new place. */
  if (i > 0 && h->items[(i - 1) / 2]->poll.deadline_ms > last->poll.deadline_ms)
    sift_up(h, i);
  else
    sift_down(h, i);
}

http_request *longpoll_heap_top(const longpoll_heap *h)
{
  return h->count ? h->items[0] : NULL;
}
