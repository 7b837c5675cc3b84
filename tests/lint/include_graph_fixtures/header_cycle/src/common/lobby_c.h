#ifndef LOBBY_C_H
#define LOBBY_C_H
#include "lobby_a.h"
int lobby_c(void);
#endif
