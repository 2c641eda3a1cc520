/*
 * A TCP syslog sender for the ingest benchmarks: replays payload files (each already framed: octet-counted
 * `LEN MSG` or newline-terminated lines), one connection per file, to 127.0.0.1:port. It exists so that the sender
 * costs the 2-core machine little next to the receiver being measured (a Node sender writing line by line takes
 * most of a core), and so that Vigil and rsyslog are fed by exactly the same program.
 * Mode `line`: one send() per message, as a relay forwarding what it receives does (Nagle coalesces them on the
 * wire); mode `bulk`: the payload in 256 KiB writes.
 * Prints "done <bytes>" when every connection has been written and closed.
 * Build: cc -O2 -pthread -o tcp-send tcp-send.c
 * Usage: tcp-send <port> <line|bulk> <file>...
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

static int port;
static int per_line;

static int send_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Length of the frame starting at p: `digits SP` then that many bytes, else up to and including '\n'. */
static size_t frame_len(const char *p, size_t left) {
  size_t i = 0, len = 0;
  while (i < left && i < 10 && p[i] >= '0' && p[i] <= '9') len = len * 10 + (size_t)(p[i++] - '0');
  if (i > 0 && i < left && p[i] == ' ' && i + 1 + len <= left) return i + 1 + len;
  const char *nl = memchr(p, '\n', left);
  return nl ? (size_t)(nl - p) + 1 : left;
}

static void *run(void *arg) {
  const char *file = arg;
  int in = open(file, O_RDONLY);
  struct stat st;
  if (in < 0 || fstat(in, &st) < 0) { perror(file); exit(1); }
  size_t size = (size_t)st.st_size;
  const char *data = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, in, 0) : "";
  if (data == MAP_FAILED) { perror("mmap"); exit(1); }
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); exit(1); }
  size_t off = 0;
  while (off < size) {
    size_t n = per_line ? frame_len(data + off, size - off) : (size - off < 262144 ? size - off : 262144);
    if (send_all(fd, data + off, n) < 0) { perror("send"); exit(1); }
    off += n;
  }
  shutdown(fd, SHUT_WR);
  char buf[256];
  while (read(fd, buf, sizeof buf) > 0) {}
  close(fd);
  return (void *)(size_t)size;
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: tcp-send <port> <line|bulk> <file>...\n"); return 2; }
  port = atoi(argv[1]);
  per_line = strcmp(argv[2], "line") == 0;
  int n = argc - 3;
  pthread_t *t = calloc((size_t)n, sizeof *t);
  for (int i = 0; i < n; i++) pthread_create(&t[i], NULL, run, argv[3 + i]);
  size_t total = 0;
  for (int i = 0; i < n; i++) { void *r; pthread_join(t[i], &r); total += (size_t)r; }
  printf("done %zu\n", total);
  return 0;
}
