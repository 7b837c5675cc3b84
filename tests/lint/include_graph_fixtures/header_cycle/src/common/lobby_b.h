#ifndef LOBBY_B_H
#define LOBBY_B_H
#include "lobby_c.h"
int lobby_b(void);
#endif
