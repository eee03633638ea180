import os
import socket
import threading


def serve(client_socket):
    """Answers one client's lines, in a thread of its own."""
    # TODO: a recv() is not a line. Keep the bytes received until a b'\n', then reply with that
    #       line in upper case, followed by '\n'. Decode whole lines only: a UTF-8 character may
    #       be split between two recv()s.
    # TODO: when recv() returns b'', the client has closed its side: close this socket.
    # TODO: what happens when a client resets its connection?


def main():
    port = int(os.environ.get('PORT', 12345))
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.bind(('localhost', port))
    server_socket.listen()
    while True:
        client_socket, address = server_socket.accept()
        # Many clients at once: each is served in a thread of its own.
        threading.Thread(target=serve, args=(client_socket,), daemon=True).start()


if __name__ == "__main__":
    main()
