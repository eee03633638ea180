import os
import socket
import threading


def serve(client_socket):
    """Answers one client's request, in a thread of its own."""
    # TODO: one recv() is not a request: receive until the bytes hold b'\r\n\r\n', the empty line
    #       that ends the request's head.
    request = client_socket.recv(4096)
    method, target, version = request.split(b'\r\n')[0].decode().split(' ')
    # TODO: a request line that is not METHOD SP target SP HTTP/1.x gets 400 Bad Request.
    # TODO: the target is percent-encoded (urllib.parse.unquote) and may carry a query string;
    #       '/' means index.html; a path must never lead out of public/ ('/../server.py').
    # TODO: GET and HEAD only; a HEAD response has GET's headers and no body.
    # TODO: a missing file is a 404, not an exception.
    with open('public' + target, 'rb') as f:  # bytes: a .png is not text
        body = f.read()
    # TODO: the Content-Type from the file's extension.
    head = f'HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n'
    client_socket.sendall(head.encode() + body)
    client_socket.close()


def main():
    port = int(os.environ.get('PORT', 8080))
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind(('', port))
    server_socket.listen()
    while True:
        client_socket, address = server_socket.accept()
        # Many clients at once, a slow one among them: each is served in a thread of its own.
        threading.Thread(target=serve, args=(client_socket,), daemon=True).start()


if __name__ == '__main__':
    main()
