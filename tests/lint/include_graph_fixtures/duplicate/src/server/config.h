#ifndef CONFIG_H
#define CONFIG_H
#endif
