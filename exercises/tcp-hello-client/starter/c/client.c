#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    // Where to connect: the grader sets HOST and PORT; localhost:12345 when you run it yourself.
    const char *host = getenv("HOST") ? getenv("HOST") : "localhost";
    const char *port = getenv("PORT") ? getenv("PORT") : "12345";
    // TODO: getaddrinfo(host, port, ...), socket(), connect(): on failure, perror() and return 1.
    // TODO: recv() until it returns 0 (the server closed), keeping every byte; then print them.
    (void)host;
    (void)port;
    return 0;
}
