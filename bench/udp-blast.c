/*
 * A UDP load generator for the trap benchmark: sends `total` datagrams, taken in turn from a file of packets, from
 * `sockets` connected sockets to 127.0.0.1:port, in sendmmsg batches, paced at `rate` datagrams/s (0: as fast as it
 * can). It exists because a sender in Node takes most of a core for itself (a JS call, a callback and a libuv write per
 * datagram), and on a 2-core machine that core is taken from the receiver being measured.
 * Packet file: each packet as a 2-byte big-endian length, then its bytes.
 * Prints "start" when the first datagram goes and "done <sent>" at the end, each on its own line.
 * Build: cc -O2 -o udp-blast udp-blast.c
 * Usage: udp-blast <port> <rate> <total> <sockets> <packet-file>
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: udp-blast <port> <rate> <total> <sockets> <packet-file>\n");
    return 2;
  }
  int port = atoi(argv[1]);
  double rate = atof(argv[2]);
  long total = atol(argv[3]);
  int nsock = atoi(argv[4]);
  if (nsock < 1) nsock = 1;

  FILE *f = fopen(argv[5], "rb");
  if (!f) {
    perror("packet file");
    return 1;
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *data = malloc(size);
  if (!data || fread(data, 1, size, f) != (size_t)size) {
    perror("read");
    return 1;
  }
  fclose(f);
  long count = 0;
  for (long off = 0; off + 2 <= size; count++) off += 2 + ((data[off] << 8) | data[off + 1]);
  if (count == 0) {
    fprintf(stderr, "no packets in %s\n", argv[5]);
    return 1;
  }
  struct iovec *pkts = calloc(count, sizeof *pkts);
  long off = 0;
  for (long i = 0; i < count; i++) {
    size_t len = (data[off] << 8) | data[off + 1];
    pkts[i].iov_base = data + off + 2;
    pkts[i].iov_len = len;
    off += 2 + len;
  }

  int *socks = calloc(nsock, sizeof *socks);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  for (int s = 0; s < nsock; s++) {
    socks[s] = socket(AF_INET, SOCK_DGRAM, 0);
    int sndbuf = 4 << 20;
    setsockopt(socks[s], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    if (socks[s] < 0 || connect(socks[s], (struct sockaddr *)&to, sizeof to) < 0) {
      perror("socket");
      return 1;
    }
  }

  struct mmsghdr msgs[BATCH];
  memset(msgs, 0, sizeof msgs);
  printf("start\n");
  fflush(stdout);
  double t0 = now_s();
  long sent = 0;
  int turn = 0;
  while (sent < total) {
    long n = total - sent < BATCH ? total - sent : BATCH;
    if (rate > 0) {
      long allowed = (long)((now_s() - t0) * rate);
      if (allowed < sent + n) {
        struct timespec nap = {0, 50000};
        nanosleep(&nap, NULL);
        continue;
      }
    }
    for (long i = 0; i < n; i++) {
      msgs[i].msg_hdr.msg_iov = &pkts[(sent + i) % count];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int r = sendmmsg(socks[turn], msgs, n, 0);
    turn = (turn + 1) % nsock;
    if (r < 0) {
      if (errno == EAGAIN || errno == ENOBUFS || errno == EINTR) continue;
      perror("sendmmsg");
      return 1;
    }
    sent += r;
  }
  printf("done %ld\n", sent);
  return 0;
}
