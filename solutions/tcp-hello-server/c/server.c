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
    if (server < 0) { perror("socket"); return 1; }
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(server, (struct sockaddr *)&address, sizeof address) < 0) { perror("bind"); return 1; }
    if (listen(server, 1) < 0) { perror("listen"); return 1; }

    // Like the course's server: serve one client, then stop.
    struct sockaddr_in client_address;
    socklen_t length = sizeof client_address;
    int client = accept(server, (struct sockaddr *)&client_address, &length);
    if (client < 0) { perror("accept"); return 1; }
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &client_address.sin_addr, ip, sizeof ip);
    printf("Connection from %s:%d has been established.\n", ip, ntohs(client_address.sin_port));

    const char *greeting = "Hello from server";
    size_t sent = 0;
    while (sent < strlen(greeting)) {
        ssize_t n = send(client, greeting + sent, strlen(greeting) - sent, 0);
        if (n < 0) { perror("send"); return 1; }
        sent += (size_t)n;
    }
    close(client);
    close(server);
    return 0;
}
