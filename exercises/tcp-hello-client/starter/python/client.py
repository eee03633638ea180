import os
import socket
import sys


def main():
    # Where to connect: the grader sets HOST and PORT; localhost:12345 when you run it yourself.
    host = os.environ.get('HOST', 'localhost')
    port = int(os.environ.get('PORT', 12345))

    client_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client_socket.connect((host, port))

    # TODO: read everything the server sends until it closes the connection, then print it.
    #       (One recv() is not enough: a message may arrive in several pieces.)
    # TODO: on an error, print a one-line message to sys.stderr and exit with a non-zero code.


if __name__ == "__main__":
    main()
