import os
import socket
import threading

# The clients that have sent their name, and that name. Every client's thread uses it: change it
# and go through it holding the lock.
room = {}
room_lock = threading.Lock()


def serve(client):
    # TODO: collect the bytes recv() returns until b'\n' (drop a '\r' before it), then decode the
    # line. A client's first line is its name: tell every other client "* <name> joined". Each
    # later non-empty line goes to every other client as "<name>: <text>".
    # TODO: when a named client leaves (recv() returns b'', or raises ConnectionResetError), take
    # it out of the room and tell the others "* <name> left".
    client.close()


def main():
    # The port to listen on: the grader sets PORT; 12345 when you run it yourself.
    port = int(os.environ.get('PORT', 12345))
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind(('localhost', port))
    server_socket.listen()
    while True:
        client, address = server_socket.accept()
        threading.Thread(target=serve, args=(client,), daemon=True).start()


if __name__ == '__main__':
    main()
