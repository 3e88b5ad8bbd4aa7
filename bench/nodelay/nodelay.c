/* LD_PRELOAD shim for the embedded broker (tools/devkafka): turns Nagle's algorithm off on
 * every connection it accepts, as a real Kafka broker does (its SocketServer sets
 * TCP_NODELAY). librdkafka 2.0.2's mock cluster leaves Nagle on, so when a client pipelines
 * several requests (one ProduceRequest per partition) the second and later responses wait for
 * the client's delayed ACK: about 40 ms on Linux. That is the mock's cost, not the pipeline's;
 * bench/run.sh starts devkafka with this shim so the figures measure Switchyard.
 * docs/performance.md ("The embedded broker") has the measurements. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static void no_delay(int fd) {
  if (fd >= 0) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* fails harmlessly on non-TCP */
  }
}

int accept(int fd, struct sockaddr *addr, socklen_t *len) {
  static int (*real)(int, struct sockaddr *, socklen_t *);
  if (!real) real = (int (*)(int, struct sockaddr *, socklen_t *))dlsym(RTLD_NEXT, "accept");
  int client = real(fd, addr, len);
  no_delay(client);
  return client;
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
  static int (*real)(int, struct sockaddr *, socklen_t *, int);
  if (!real) real = (int (*)(int, struct sockaddr *, socklen_t *, int))dlsym(RTLD_NEXT, "accept4");
  int client = real(fd, addr, len, flags);
  no_delay(client);
  return client;
}
