/*
 * fault_proxy.h -- a loopback HTTP proxy for tests that misbehaves on
 * request: it sits in front of a real server and, for each request in turn,
 * follows a plan -- pass it on, reset the connection, answer 503 SlowDown,
 * answer slowly, or cut the reply short. Each request gets its own upstream
 * connection (the proxy asks for Connection: close), so the plan counts
 * requests, not connections.
 */
#ifndef NL_TEST_FAULT_PROXY_H
#define NL_TEST_FAULT_PROXY_H

#include <stdint.h>

typedef struct fault_proxy fault_proxy;

/* Plan letters, one per request, then pass-through:
 *   P pass   R reset (RST before any reply)   E 503 SlowDown
 *   S slow (delay_ms before forwarding)        T truncated reply (half the bytes) */
fault_proxy *fault_proxy_start(const char *upstream_host, int upstream_port);
int fault_proxy_port(const fault_proxy *p);
void fault_proxy_plan(fault_proxy *p, const char *plan, int delay_ms);
/* Requests seen since the last plan, and the request line of the last one. */
int fault_proxy_requests(fault_proxy *p);
void fault_proxy_last_request(fault_proxy *p, char *out, int cap);
void fault_proxy_stop(fault_proxy *p);

#endif
