import os
import socket
import threading
import time
from urllib.parse import urlsplit

CACHE_SECONDS = 60
ORIGIN_TIMEOUT = 5  # seconds without a byte from the origin before the proxy gives up
# Headers that describe one connection, not the message: each hop sets its own.
HOP_BY_HOP = {'connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade',
              'proxy-authorization', 'proxy-authenticate'}

# The full URL -> (the time it was kept, the origin's whole response as it came).
cache = {}
cache_lock = threading.Lock()


def read_head(sock):
    """The request's head, up to the empty line that ends it, or None if the client left first."""
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = sock.recv(4096)
        if not chunk or len(data) > 65536:
            return None
        data += chunk
    return data.split(b'\r\n\r\n', 1)[0].decode('latin-1')


def answer(client, status, reason):
    """A short response of the proxy's own: 400, 501, 502, 504."""
    body = f'{status} {reason}\n'.encode()
    client.sendall(f'HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n'
                   f'Connection: close\r\n\r\n'.encode() + body)


def cacheable(response):
    """Whether the origin's response may be kept: a 200 without Cache-Control: no-store."""
    head = response.split(b'\r\n\r\n', 1)[0].decode('latin-1').lower()
    status_line, *headers = head.split('\r\n')
    no_store = any(line.startswith('cache-control:') and 'no-store' in line for line in headers)
    return status_line.split(' ')[1:2] == ['200'] and not no_store


def forward(client, url, headers):
    """Asks the origin for `url` and relays its response to the client, byte for byte; caches it if it may."""
    parts = urlsplit(url)
    path = (parts.path or '/') + (f'?{parts.query}' if parts.query else '')
    # The origin form, the origin's host and port, and the client's other end-to-end headers.
    lines = [f'GET {path} HTTP/1.1', f'Host: {parts.netloc}', 'Connection: close']
    lines += [line for line in headers if line.split(':', 1)[0].strip().lower() not in HOP_BY_HOP | {'host'}]
    try:
        origin = socket.create_connection((parts.hostname, parts.port or 80), timeout=ORIGIN_TIMEOUT)
    except socket.timeout:
        answer(client, 504, 'Gateway Timeout')
        return
    except OSError:  # refused, no such host
        answer(client, 502, 'Bad Gateway')
        return
    response = b''
    with origin:
        try:
            origin.sendall(('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1'))
            # Connection: close, so the response ends when the origin closes: relay it as it comes.
            while True:
                chunk = origin.recv(65536)
                if not chunk:
                    break
                client.sendall(chunk)
                response += chunk
        except socket.timeout:
            if not response:
                answer(client, 504, 'Gateway Timeout')
            return
        except ConnectionError:  # the origin reset the connection
            if not response:
                answer(client, 502, 'Bad Gateway')
            return
    if not response:  # the origin closed without answering
        answer(client, 502, 'Bad Gateway')
    elif cacheable(response):
        with cache_lock:
            cache[url] = (time.monotonic(), response)


def serve(client):
    """Serves one client's request, in a thread of its own."""
    try:
        head = read_head(client)
        if head is None:
            return
        request_line, *headers = head.split('\r\n')
        words = request_line.split(' ')
        if len(words) != 3 or not words[1].startswith('http://'):
            answer(client, 400, 'Bad Request')
            return
        method, url, _version = words
        if method != 'GET':
            answer(client, 501, 'Not Implemented')
            return
        with cache_lock:
            kept = cache.get(url)
        if kept and time.monotonic() - kept[0] < CACHE_SECONDS:
            client.sendall(kept[1])
            return
        forward(client, url, headers)
    except OSError:
        pass  # the client left
    finally:
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
