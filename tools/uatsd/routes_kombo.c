/* tools/uatsd/routes_kombo.c: placeholder until the kombo routes land. */
#include <config.h>

#include "gw.h"

const gw_route gw_kombo_routes[] = {
    {NULL, NULL, NULL, NULL},
};
