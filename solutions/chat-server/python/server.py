import os
import socket
import threading

# Everyone who has sent a name: their socket, and the name they go by. A client without a name
# is not in the room: it hears nothing, and nobody hears of it leaving. Every thread reads and
# changes the room, so each does it holding the lock.
room = {}
room_lock = threading.Lock()


def broadcast(line, sender):
    """Sends `line` to everyone in the room but `sender` (call it holding room_lock)."""
    data = (line + '\n').encode('utf-8')
    for client in room:
        if client is not sender:
            try:
                client.sendall(data)
            except OSError:
                pass  # that client is leaving: its own thread takes it out of the room


def read_lines(client):
    """Yields each line the client sends, without its \\n (or \\r\\n), until it disconnects."""
    buffer = b''
    while True:
        try:
            chunk = client.recv(4096)
        except ConnectionError:  # a reset: the client is gone, as when recv() returns b''
            return
        if not chunk:
            return
        buffer += chunk
        # Split the bytes, then decode whole lines: a character may arrive in two chunks.
        while b'\n' in buffer:
            line, buffer = buffer.split(b'\n', 1)
            yield line.decode('utf-8').removesuffix('\r')


def serve(client):
    name = None
    try:
        for line in read_lines(client):
            if name is None:
                name = line
                with room_lock:
                    room[client] = name
                    broadcast(f'* {name} joined', client)
            elif line != '':
                with room_lock:
                    broadcast(f'{name}: {line}', client)
    finally:
        if name is not None:
            with room_lock:
                del room[client]
                broadcast(f'* {name} left', client)
        client.close()


def main():
    # The port to listen on: the grader sets PORT; 12345 when you run it yourself.
    port = int(os.environ.get('PORT', 12345))
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server_socket.bind(('localhost', port))
    server_socket.listen()
    while True:
        client, address = server_socket.accept()
        # A thread per client: each waits in recv() for its own client only.
        threading.Thread(target=serve, args=(client,), daemon=True).start()


if __name__ == '__main__':
    main()
