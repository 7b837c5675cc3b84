#include "screens.h"
#include "kiosk_net.h"
