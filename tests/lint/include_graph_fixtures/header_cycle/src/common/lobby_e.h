#ifndef LOBBY_E_H
#define LOBBY_E_H
#include "lobby_paths.h"
#endif
