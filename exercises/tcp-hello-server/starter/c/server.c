#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    // The port to listen on: the grader sets PORT; 12345 when you run it yourself.
    const char *from_env = getenv("PORT");
    int port = from_env ? atoi(from_env) : 12345;

    int server = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(server, (struct sockaddr *)&address, sizeof address) < 0 || listen(server, 1) < 0) {
        perror("bind/listen");
        return 1;
    }

    struct sockaddr_in client_address;
    socklen_t length = sizeof client_address;
    int client = accept(server, (struct sockaddr *)&client_address, &length);
    // TODO: print "Connection from <address> has been established." with the client's IP and port
    //       (inet_ntop and ntohs(client_address.sin_port))
    // TODO: send exactly "Hello from server" (strlen bytes, no NUL), then close the connection
    (void)client;
    return 0;
}
