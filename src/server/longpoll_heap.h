/* The long-poll deadlines: a binary min-heap of waiting requests ordered
 * by poll_deadline_ms.  Each request in the heap holds its own position
 * in poll_heap_index (-1 when it is in no heap), so one can leave from
 * the middle in O(log n).  Not locked: longpoll.c holds its lock. */
#ifndef LOBBYD_LONGPOLL_HEAP_H
#define LOBBYD_LONGPOLL_HEAP_H

#include <stddef.h>
#include "http.h"

typedef struct {
  http_request **items;
  size_t count, cap;
} longpoll_heap;

void longpoll_heap_free(longpoll_heap *h);
lobby_err longpoll_heap_push(longpoll_heap *h, http_request *r);
/* Removes r, which must be in h. */
void longpoll_heap_remove(longpoll_heap *h, http_request *r);
/* The request with the earliest deadline, or NULL when h is empty. */
http_request *longpoll_heap_top(const longpoll_heap *h);

#endif
