#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

// One client, in a thread of its own.
static void *serve(void *argument) {
    int client = (int)(long)argument;
    // TODO: recv() into a buffer of this client's own; for each complete line (up to a \n), send it
    //       back in upper case (a-z, and é/è: C3 A9/C3 A8 become C3 89/C3 88), \r and \n as they came.
    //       recv() returns 0 when the client closes its side, -1 on a reset: then close(client).
    close(client);
    return NULL;
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    const char *from_env = getenv("PORT");
    int port = from_env ? atoi(from_env) : 12345;
    int server = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(server, (struct sockaddr *)&address, sizeof address) < 0 || listen(server, 64) < 0) {
        perror("bind/listen");
        return 1;
    }
    for (;;) {
        int client = accept(server, NULL, NULL);
        pthread_t thread;
        if (client >= 0 && pthread_create(&thread, NULL, serve, (void *)(long)client) == 0) pthread_detach(thread);
    }
}
