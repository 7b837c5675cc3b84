/* The one symbol lobby-kiosk-net.so exports (the table kiosk_net.h describes). */
#include "kiosk_net.h"

const kiosk_net_ops kiosk_net_module_ops = {
  .version = LOBBY_KIOSK_VERSION,
  .event_size = sizeof(kiosk_event),
  .start = kiosk_net_start,
  .stop = kiosk_net_stop,
  .submit = kiosk_net_submit,
  .call = kiosk_net_call,
  .lookup_provisional = kiosk_net_lookup_provisional,
  .cancel = kiosk_net_cancel,
  .poll = kiosk_net_poll,
  .queued = kiosk_net_queued,
  .images_recheck = kiosk_net_images_recheck,
  .report_audio = kiosk_net_report_audio,
  .screenshot = kiosk_net_screenshot,
};
