/* tools/uatsd/routes_panora.c: placeholder until the panora routes land. */
#include <config.h>

#include "gw.h"

const gw_route gw_panora_routes[] = {
    {NULL, NULL, NULL, NULL},
};
