import os
import socket
import sys


def main():
    host = os.environ.get('HOST', 'localhost')
    port = int(os.environ.get('PORT', 12345))
    # TODO: connect, collect what the server sends until it closes the connection, and print it.


if __name__ == '__main__':
    main()
