import os
import socket


def main():
    # The port to listen on: the grader sets PORT; 12345 when you run it yourself.
    port = int(os.environ.get('PORT', 12345))
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.bind(('localhost', port))
    server_socket.listen(1)

    # Like the course's server: serve one client, then stop.
    client_socket, address = server_socket.accept()
    print(f"Connection from {address} has been established.")

    client_socket.sendall(bytes("Hello from server", 'utf-8'))
    client_socket.close()
    server_socket.close()


if __name__ == "__main__":
    main()
