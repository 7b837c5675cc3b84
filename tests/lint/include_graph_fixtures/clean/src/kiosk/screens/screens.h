/* The screens. */
#ifndef SCREENS_H
#define SCREENS_H
#include "widgets.h"
void kiosk_home_build(void);
#endif
