import os
import socket
import sys


def main():
    host = os.environ.get('HOST', 'localhost')
    port = int(os.environ.get('PORT', 12345))
    try:
        with socket.create_connection((host, port)) as connection:
            chunks = []
            while chunk := connection.recv(4096):
                chunks.append(chunk)
    except OSError as error:
        print(f'Error: {error}', file=sys.stderr)
        sys.exit(1)
    print(b''.join(chunks).decode('utf-8'))


if __name__ == '__main__':
    main()
