#ifndef LOBBY_D_H
#define LOBBY_D_H
#include "lobby_d.h"
#endif
