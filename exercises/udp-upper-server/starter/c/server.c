#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int main(void) {
    const char *from_env = getenv("PORT");
    int port = from_env ? atoi(from_env) : 12345;
    int sock = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY) };
    if (bind(sock, (struct sockaddr *)&address, sizeof address) < 0) {
        perror("bind");
        return 1;
    }
    static char datagram[65536];
    for (;;) {
        struct sockaddr_storage from;
        socklen_t from_length = sizeof from;
        ssize_t n = recvfrom(sock, datagram, sizeof datagram, 0, (struct sockaddr *)&from, &from_length);
        // TODO: upper-case the text (a-z, and the characters the statement lists, some of which
        //       change length), then sendto() the reply to `from`, even when it is empty.
        (void)n;
    }
}
