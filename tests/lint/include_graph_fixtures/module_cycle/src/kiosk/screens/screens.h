/* The screens; their functions are defined in screen_*.c. */
#ifndef SCREENS_H
#define SCREENS_H
struct kiosk_app;
void kiosk_home_build(struct kiosk_app *app);
extern const int kiosk_screen_home,
  kiosk_screen_notice;
#endif
