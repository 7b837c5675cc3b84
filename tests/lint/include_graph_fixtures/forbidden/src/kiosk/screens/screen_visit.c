#include "screens.h"
#include "kiosk_outbox.h"
#  include <curl/curl.h>
