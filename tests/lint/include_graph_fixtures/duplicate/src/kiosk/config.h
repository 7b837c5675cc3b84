#ifndef KIOSK_CONFIG_H
#define KIOSK_CONFIG_H
#endif
