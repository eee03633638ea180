import os
import socket
import threading


def serve(client_socket):
    """Answers one client's lines until it closes its side, in a thread of its own."""
    # The bytes received but not yet answered: a line may arrive in pieces, and a UTF-8 character
    # may be split between two of them, so lines are cut on the bytes (b'\n' is one byte in UTF-8)
    # and each whole line is decoded at once. A '\r' before the '\n' stays part of the line.
    pending = b''
    try:
        while True:
            chunk = client_socket.recv(4096)
            if not chunk:
                break  # the client closed its side
            pending += chunk
            while b'\n' in pending:
                line, pending = pending.split(b'\n', 1)
                reply = line.decode('utf-8').upper() + '\n'
                client_socket.sendall(reply.encode('utf-8'))
    except OSError:
        pass  # a client that resets its connection is gone; the others are served
    finally:
        client_socket.close()


def main():
    port = int(os.environ.get('PORT', 12345))
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind(('localhost', port))
    server_socket.listen()
    while True:
        client_socket, address = server_socket.accept()
        threading.Thread(target=serve, args=(client_socket,), daemon=True).start()


if __name__ == "__main__":
    main()
