/* A stand-in for systemd's notification socket: binds an AF_UNIX
 * datagram socket at PATH and prints each message it receives on one
 * line, its fields joined by '|', until SIGTERM.
 *
 *   notify_listen PATH > messages
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
  (void)sig;
  stop = 1;
}

int main(int argc, char **argv)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (argc != 2 || strlen(argv[1]) >= sizeof addr.sun_path) {
    fprintf(stderr, "usage: notify_listen PATH (shorter than %zu bytes)\n", sizeof addr.sun_path);
    return 2;
  }
  memcpy(addr.sun_path, argv[1], strlen(argv[1]) + 1);
  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    perror("notify_listen: bind");
    return 1;
  }
  struct sigaction sa = {.sa_handler = on_term};
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  while (!stop) {
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      perror("notify_listen: recv");
      return 1;
    }
    for (ssize_t i = 0; i < n; i++)
      if (buf[i] == '\n')
        buf[i] = '|';
    buf[n] = '\0';
    printf("%s\n", buf);
    fflush(stdout);
  }
  close(fd);
  unlink(argv[1]);
  return 0;
}
