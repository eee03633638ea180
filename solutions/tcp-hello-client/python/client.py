import os
import socket
import sys


def main():
    # Where to connect: the grader sets HOST and PORT; localhost:12345 when you run it yourself.
    host = os.environ.get('HOST', 'localhost')
    port = int(os.environ.get('PORT', 12345))

    # A message may arrive in several pieces, and a UTF-8 character may be split between two of
    # them: collect every piece until the server closes the connection (recv returns b''), then
    # decode all the bytes together.
    chunks = []
    try:
        client_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        client_socket.connect((host, port))
        while True:
            chunk = client_socket.recv(1024)
            if not chunk:
                break
            chunks.append(chunk)
        client_socket.close()
    except OSError as error:
        print(f"Error: {error}", file=sys.stderr)
        sys.exit(1)

    message = b''.join(chunks)
    print(message.decode('utf-8'))


if __name__ == "__main__":
    main()
