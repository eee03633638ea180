import os
import socket


def main():
    # The port to listen on: the grader sets PORT; 12345 when you run it yourself.
    port = int(os.environ.get('PORT', 12345))
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.bind(('localhost', port))
    server_socket.listen(1)

    client_socket, address = server_socket.accept()
    # TODO: print "Connection from <address> has been established." with the client's address
    # TODO: send exactly "Hello from server", then close the connection


if __name__ == "__main__":
    main()
