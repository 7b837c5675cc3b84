#ifndef LOBBY_A_H
#define LOBBY_A_H
#include "lobby_b.h"
int lobby_a(void);
#endif
