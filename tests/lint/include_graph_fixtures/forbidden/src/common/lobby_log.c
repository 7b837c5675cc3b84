#include <stdio.h>
// #include "http.h" is not an include.
/*
#include "http.h" is not one either.
*/
#include "http.h"
