import os
import socket


def main():
    port = int(os.environ.get('PORT', 12345))
    with socket.create_server(('localhost', port)) as server:
        while True:
            client, _address = server.accept()
            # TODO: send the greeting (bytes), then close the client's socket.


if __name__ == '__main__':
    main()
