// The ceiling of any proxy on this machine, for Benchmarks/run.sh --only proxy: a byte forwarder
// with no work of its own. One thread, epoll; each accepted connection gets a connection to the
// upstream (127.0.0.1:PORT), and whatever one side sends is written to the other as it comes:
// no HTTP parsing, no checks, no log. It prints `listening on http://127.0.0.1:PORT` (the port
// the kernel picked) as `callconsult serve` does. For measuring only: it trusts its peers.
//
//   cc -O2 -o tcp-forward Benchmarks/tcp-forward.c && ./tcp-forward UPSTREAM_PORT
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { MAX_DESCRIPTORS = 65536 };
static int peer[MAX_DESCRIPTORS];

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: tcp-forward UPSTREAM_PORT\n");
        return 2;
    }
    int one = 1;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = loopback(0);
    socklen_t length = sizeof address;
    if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 256) != 0 ||
        getsockname(listener, (struct sockaddr *)&address, &length) != 0) {
        perror("tcp-forward: listen");
        return 1;
    }
    printf("listening on http://127.0.0.1:%d\n", ntohs(address.sin_port));
    fflush(stdout);
    struct sockaddr_in upstream = loopback(atoi(argv[1]));
    int poller = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN, .data.fd = listener};
    epoll_ctl(poller, EPOLL_CTL_ADD, listener, &event);
    struct epoll_event events[64];
    static char buffer[65536];
    for (;;) {
        int ready = epoll_wait(poller, events, 64, -1);
        for (int index = 0; index < ready; index++) {
            int descriptor = events[index].data.fd;
            if (descriptor == listener) {
                int client = accept(listener, NULL, NULL);
                if (client < 0) continue;
                int server = socket(AF_INET, SOCK_STREAM, 0);
                if (server < 0 || client >= MAX_DESCRIPTORS || server >= MAX_DESCRIPTORS ||
                    connect(server, (struct sockaddr *)&upstream, sizeof upstream) != 0) {
                    close(client);
                    if (server >= 0) close(server);
                    continue;
                }
                setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                peer[client] = server;
                peer[server] = client;
                event.data.fd = client;
                epoll_ctl(poller, EPOLL_CTL_ADD, client, &event);
                event.data.fd = server;
                epoll_ctl(poller, EPOLL_CTL_ADD, server, &event);
                continue;
            }
            if (peer[descriptor] < 0) continue;  // closed earlier in this batch
            ssize_t count = read(descriptor, buffer, sizeof buffer);
            if (count <= 0) {
                int other = peer[descriptor];
                peer[other] = -1;
                peer[descriptor] = -1;
                close(other);
                close(descriptor);
                continue;
            }
            // Blocking sockets: a write takes all of it, or the connection is gone.
            for (ssize_t offset = 0; offset < count;) {
                ssize_t written = write(peer[descriptor], buffer + offset, count - offset);
                if (written <= 0) break;
                offset += written;
            }
        }
    }
}
