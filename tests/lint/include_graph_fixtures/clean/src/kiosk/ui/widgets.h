/* Widgets. */
#ifndef WIDGETS_H
#define WIDGETS_H
void kiosk_button(const char *text);
int kiosk_widget_count(void);
#endif
