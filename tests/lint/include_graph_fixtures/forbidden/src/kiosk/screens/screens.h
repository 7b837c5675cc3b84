#ifndef SCREENS_H
#define SCREENS_H
#endif
