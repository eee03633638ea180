import os
import socket
import time

HOST = os.environ.get('HOST', '127.0.0.1')
PORT = int(os.environ.get('PORT', 12000))


def main():
    client_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    # TODO: for n = 1 to 10, one at a time: send f"Ping {n} {int(time.time() * 1000)}" (as bytes)
    # to (HOST, PORT), wait up to 1 s for the echo of that ping (a reply that starts with
    # f"Ping {n} "; client_socket.settimeout(1) makes recvfrom raise TimeoutError after 1 s), and
    # print f"Reply {n}: rtt={rtt_ms:.3f} ms" or f"Request {n} timed out".
    # Then print the summary line, close the socket, and let the program end.

    client_socket.close()


if __name__ == "__main__":
    main()
