/*
 * core/pace.c: pacing requests to a vendor's rate. A token bucket per
 * connection, shared by every thread using it: each request takes a token,
 * tokens come back at the vendor's documented rate up to the burst size,
 * and a request that finds none waits its turn. The vendor's own
 * X-RateLimit-* headers tighten it further, so bulk work rarely meets a 429.
 */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "http.h"

double uats__monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void uats__sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    if (ms <= 0)
        return;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

void uats__pace_init(pacer *p, double rate, unsigned burst)
{
    pthread_mutex_init(&p->lock, NULL);
    p->tokens = burst ? burst : 1;
    p->refilled_at = uats__monotonic();
    p->not_before = 0;
    p->limit = p->remaining = p->reset = -1;
    (void)rate;
}

void uats__pace_acquire(pacer *p, double rate, unsigned burst)
{
    double now, wait = 0;
    pthread_mutex_lock(&p->lock);
    now = uats__monotonic();
    if (rate > 0) {
        double cap = burst ? burst : 1;
        p->tokens = fmin(cap, p->tokens + (now - p->refilled_at) * rate);
        p->refilled_at = now;
        /* Take the token now, even into debt: later callers queue behind
         * this one instead of racing it. */
        p->tokens -= 1;
        if (p->tokens < 0)
            wait = -p->tokens / rate;
    }
    if (p->not_before > now + wait)
        wait = p->not_before - now;
    pthread_mutex_unlock(&p->lock);
    if (wait > 0)
        uats__sleep_ms((long)ceil(wait * 1000));
}

static long header_number(const char *s)
{
    char *end;
    if (!s)
        return -1;
    long v = strtol(s, &end, 10);
    return end != s && v >= 0 ? v : -1;
}

void uats__pace_observe(pacer *p, const char *limit, const char *remaining,
                        const char *reset)
{
    long lim = header_number(limit), rem = header_number(remaining);
    long rst = header_number(reset);
    if (rem < 0)
        return;
    pthread_mutex_lock(&p->lock);
    p->limit = lim;
    p->remaining = rem;
    p->reset = rst;
    /* Never hold more tokens than the vendor says remain. */
    if (p->tokens > rem)
        p->tokens = rem;
    if (rem == 0 && rst > 0) {
        /* Reset is either seconds from now or a Unix time; a value past
         * 2001 in seconds can only be the latter. */
        time_t wall = time(NULL);
        double delta = rst > 1000000000L ? (double)(rst - wall) : (double)rst;
        if (delta > 0 && delta < 3600)
            p->not_before = uats__monotonic() + delta;
    }
    pthread_mutex_unlock(&p->lock);
}
