import os
import socket
import time

HOST = os.environ.get('HOST', '127.0.0.1')
PORT = int(os.environ.get('PORT', 12000))
PINGS = 10
WAIT = 1.0  # seconds to wait for each echo


def ping(client_socket, n):
    """Sends ping n and returns its round trip in ms, or None after 1 s without its echo.

    Echoes of other pings (a late one, a second copy) are read and ignored.
    """
    sent_at = time.perf_counter()
    # The time since the epoch in whole milliseconds, as the statement asks.
    message = f"Ping {n} {int(time.time() * 1000)}"
    client_socket.sendto(message.encode(), (HOST, PORT))
    while True:
        remaining = WAIT - (time.perf_counter() - sent_at)
        if remaining <= 0:
            return None
        client_socket.settimeout(remaining)
        try:
            reply, _ = client_socket.recvfrom(1024)
        except TimeoutError:  # socket.timeout is the same class
            return None
        if reply.decode(errors='replace').startswith(f"Ping {n} "):
            return (time.perf_counter() - sent_at) * 1000


def main():
    client_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rtts = []
    for n in range(1, PINGS + 1):
        rtt = ping(client_socket, n)
        if rtt is None:
            print(f"Request {n} timed out")
        else:
            rtts.append(round(rtt, 3))
            print(f"Reply {n}: rtt={rtt:.3f} ms")
    client_socket.close()

    loss = round((PINGS - len(rtts)) / PINGS * 100)
    if rtts:
        # From the values as printed, so the summary agrees with the lines.
        avg = sum(rtts) / len(rtts)
        print(f"{len(rtts)}/{PINGS} received, {loss}% loss, rtt min/avg/max = {min(rtts):.3f}/{avg:.3f}/{max(rtts):.3f} ms")
    else:
        print(f"0/{PINGS} received, 100% loss")


if __name__ == "__main__":
    main()
