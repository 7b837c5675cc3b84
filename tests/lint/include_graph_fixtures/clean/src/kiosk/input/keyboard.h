/* The on-screen keyboard. */
#ifndef KEYBOARD_H
#define KEYBOARD_H
void kiosk_keyboard(void);
#endif
