/*
 * tools/uatsd/server.h: the gateway object that main.c configures and the
 * server runs. Internal to uatsd.
 */
#ifndef UATS_GW_SERVER_H
#define UATS_GW_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "gw.h"

typedef struct gw_links gw_links;

typedef struct gw_options {
    const char *listen_host;    /* "127.0.0.1" */
    unsigned port;              /* 0: any free port */
    unsigned threads;           /* worker threads (epoll each); 0: one thread per connection */
    size_t max_body;            /* bytes */
    unsigned timeout_s;         /* idle connection timeout */
    unsigned shutdown_s;        /* how long in-flight requests may take at shutdown */
    unsigned cache_ttl_s;       /* how long a key or connection is trusted unchecked */
} gw_options;

#define GW_KEY_CACHE 64

struct gw {
    gw_options opt;
    uats_ctx *ctx;
    store *store;
    gw_links *links;
    FILE *access_log;           /* NULL: none */
    pthread_mutex_t log_lock;
    atomic_long active;         /* requests being served */
    atomic_ulong next_id;
    char instance_id[9];        /* random, so request ids differ across instances */
    const char *access_path;    /* reopened on SIGHUP (log rotation) */
    pthread_mutex_t key_lock;
    struct {
        char hash[65];
        long long until_ms;
    } keys[GW_KEY_CACHE];
    unsigned key_next;
    void *daemon;               /* struct MHD_Daemon * */
    unsigned bound_port;
};

long long gw_now_ms(void);

/* Reopen the access log file (after rotation). 0, or -1 with errno. */
int gw_reopen_access_log(gw *g);

/* Start serving (worker threads); gw->bound_port is set. 0 or -1 with a
 * message on stderr. */
int gw_server_start(gw *g);
/* Stop accepting, let in-flight requests finish (up to opt.shutdown_s),
 * then stop. */
void gw_server_stop(gw *g);

gw_links *gw_links_new(gw *g);
void gw_links_free(gw_links *links);

#endif
