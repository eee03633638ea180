import os
import socket
import threading
from urllib.parse import unquote

PUBLIC = os.path.realpath('public')
TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.txt': 'text/plain; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.json': 'application/json',
    '.png': 'image/png',
}
REASONS = {200: 'OK', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed'}


def read_request(client_socket):
    """The request's head (up to its empty line) and what came after it, or None if the client left first."""
    # A request may arrive in many pieces, down to a byte each: one recv() is not a request.
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = client_socket.recv(4096)
        if not chunk or len(data) > 65536:
            return None
        data += chunk
    head, rest = data.split(b'\r\n\r\n', 1)
    return head.decode('latin-1'), rest


def send_response(client_socket, status, headers, body, with_body=True):
    """Sends a whole response: the status line, the headers, Content-Length, and the body (bytes)."""
    lines = [f'HTTP/1.1 {status} {REASONS[status]}']
    lines += [f'{name}: {value}' for name, value in headers.items()]
    lines += [f'Content-Length: {len(body)}', 'Connection: close', '', '']
    client_socket.sendall('\r\n'.join(lines).encode('latin-1') + (body if with_body else b''))


def file_for(target):
    """The file under public/ that a request target names, or None when it would lead out of public/."""
    # The query string is cut off before decoding, so an encoded '?' stays part of the name.
    path = unquote(target.split('?', 1)[0], errors='strict')
    if path.endswith('/'):
        path += 'index.html'
    # Decoded first, then resolved: '..', '%2e%2e' and '%2f' are all seen for what they are.
    file = os.path.realpath(os.path.join(PUBLIC, path.lstrip('/')))
    return file if file.startswith(PUBLIC + os.sep) else None


def serve(client_socket):
    """Answers one client's request, in a thread of its own, then closes the connection."""
    try:
        request = read_request(client_socket)
        if request is None:
            return
        head, rest = request
        words = head.split('\r\n')[0].split(' ')
        if len(words) != 3 or not words[1].startswith('/') or not words[2].startswith('HTTP/'):
            send_response(client_socket, 400, {'Content-Type': 'text/plain'}, b'Bad Request\n')
            return
        method, target, _version = words
        # A body (a POST's) is read before answering: closing with unread bytes resets the connection.
        length = 0
        for line in head.split('\r\n')[1:]:
            name, _, value = line.partition(':')
            if name.strip().lower() == 'content-length':
                length = int(value) if value.strip().isdigit() else 0
        while len(rest) < length:
            chunk = client_socket.recv(4096)
            if not chunk:
                break
            rest += chunk
        if method not in ('GET', 'HEAD'):
            send_response(client_socket, 405, {'Content-Type': 'text/plain', 'Allow': 'GET, HEAD'}, b'Method Not Allowed\n', method != 'HEAD')
            return
        try:
            file = file_for(target)
        except UnicodeDecodeError:
            send_response(client_socket, 400, {'Content-Type': 'text/plain'}, b'Bad Request\n', method == 'GET')
            return
        if file is None:
            send_response(client_socket, 403, {'Content-Type': 'text/plain'}, b'Forbidden\n', method == 'GET')
            return
        try:
            with open(file, 'rb') as f:  # bytes: a .png is not text
                body = f.read()
        except (OSError, ValueError):  # missing, a folder, a name with a NUL byte
            send_response(client_socket, 404, {'Content-Type': 'text/plain'}, b'Not Found\n', method == 'GET')
            return
        content_type = TYPES.get(os.path.splitext(file)[1].lower(), 'application/octet-stream')
        send_response(client_socket, 200, {'Content-Type': content_type}, body, method == 'GET')
    except OSError:
        pass  # a client that resets its connection is gone; the others are served
    finally:
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
