import os
import socket

# The largest UDP datagram: recvfrom(n) returns at most n bytes and drops the rest of a datagram.
MAX_DATAGRAM = 65535


def main():
    # The port to bind: the grader sets PORT; 12345 when you run it yourself.
    port = int(os.environ.get('PORT', 12345))
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server_socket.bind(('', port))
    print(f"The server is ready to receive on port {port}")

    while True:
        message, client_address = server_socket.recvfrom(MAX_DATAGRAM)
        # errors='replace': bytes that are not UTF-8 become U+FFFD instead of raising.
        text = message.decode('utf-8', errors='replace')
        # One reply per datagram, from this same socket, to whoever sent it (an empty one too).
        server_socket.sendto(text.upper().encode('utf-8'), client_address)


if __name__ == "__main__":
    main()
