#ifndef KIOSK_NET_H
#define KIOSK_NET_H
#endif
