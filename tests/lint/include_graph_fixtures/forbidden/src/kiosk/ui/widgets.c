#include "screens.h"
