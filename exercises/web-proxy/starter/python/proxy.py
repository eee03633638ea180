import os
import socket
import threading
from urllib.parse import urlsplit


def serve(client):
    """Serves one client's request, in a thread of its own."""
    # TODO: one recv() is not a request: receive until the bytes hold b'\r\n\r\n'.
    head = client.recv(4096).decode('latin-1')
    # A forward proxy's request line names a whole URL: GET http://host:port/path HTTP/1.1
    method, url, version = head.split('\r\n')[0].split(' ')
    parts = urlsplit(url)
    # TODO: connect to (parts.hostname, parts.port), ask it for the path and query (the origin
    #       form) with Host: parts.netloc, and send the client the origin's response, as bytes.
    # TODO: what if the origin refuses the connection, closes it without answering, or never
    #       answers? What about other methods than GET?
    # TODO: keep 200 responses to GET in a cache, by the full URL, for 60 s (not Cache-Control: no-store).
    body = f'not implemented yet: {url}\n'.encode()
    client.sendall(f'HTTP/1.1 501 Not Implemented\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n'.encode() + body)
    client.close()


def main():
    port = int(os.environ.get('PORT', 8080))
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind(('', port))
    server_socket.listen()
    while True:
        client, address = server_socket.accept()
        # A client waiting on a slow origin must not hold up the others: a thread each.
        threading.Thread(target=serve, args=(client,), daemon=True).start()


if __name__ == '__main__':
    main()
