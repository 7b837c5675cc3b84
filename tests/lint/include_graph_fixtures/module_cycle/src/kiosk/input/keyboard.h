#ifndef KEYBOARD_H
#define KEYBOARD_H
typedef struct { int shift; } kiosk_keys;
#endif
