#include "kiosk_net.h"
