import os
import socket


def main():
    # The port to bind: the grader sets PORT; 12345 when you run it yourself.
    port = int(os.environ.get('PORT', 12345))
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server_socket.bind(('', port))

    while True:
        # Up to 65535 bytes: recvfrom drops what does not fit of a datagram.
        message, address = server_socket.recvfrom(65535)
        # TODO: send back to `address` one datagram, from server_socket: the text of `message`
        # (UTF-8, invalid bytes replaced) in upper case, encoded as UTF-8.


if __name__ == "__main__":
    main()
