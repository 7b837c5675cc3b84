#include "kiosk_app.h"

const int kiosk_screen_notice = 2;
