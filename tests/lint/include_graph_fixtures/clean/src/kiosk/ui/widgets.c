#include "widgets.h"
/* Not code:
#include "kiosk_net.h"
kiosk_not_a_function(void)
{
}
*/
#include <stdio.h>

static int count;

int kiosk_widget_count(void) { return count; }

void kiosk_button(const char *text)
{
  /* A brace in a string or a character is not a block. */
  const char *s = "}/*{";
  char c = '{';
  count++;
  printf("%s %s %c\n", text, s, c);
}
