import os
import socket


def main():
    port = int(os.environ.get('PORT', 12345))
    with socket.create_server(('localhost', port)) as server:
        while True:
            client, _address = server.accept()
            with client:
                client.sendall(b'Hello from {{id}}')


if __name__ == '__main__':
    main()
