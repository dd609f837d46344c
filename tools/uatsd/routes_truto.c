/* tools/uatsd/routes_truto.c: placeholder until the truto routes land. */
#include <config.h>

#include "gw.h"

const gw_route gw_truto_routes[] = {
    {NULL, NULL, NULL, NULL},
};
