import os
import socket
import sys

HOST = os.environ.get('HOST', 'localhost')
PORT = int(os.environ.get('PORT', 25))
MAIL_FROM = os.environ.get('MAIL_FROM', '')
MAIL_TO = os.environ.get('MAIL_TO', '')
SUBJECT = os.environ.get('SUBJECT', '')
BODY = os.environ.get('BODY', '')


def main():
    # TODO: what if the connection is refused? Print one line on sys.stderr and sys.exit(1).
    sock = socket.create_connection((HOST, PORT))
    # TODO: one recv() is not a reply. A reply ends with its last line, b'250 text\r\n' (a space
    #       after the code); lines before it look like b'250-text\r\n'. Keep what arrives, cut it
    #       into lines at b'\r\n', and wait for the whole reply, then check its code. recv()
    #       returns b'' once the server has closed the connection.
    # TODO: then send each command, ended by '\r\n', and wait for its reply:
    #       EHLO <name>, MAIL FROM:<MAIL_FROM>, one RCPT TO:<...> per address in MAIL_TO (trimmed),
    #       DATA, the message (headers, an empty line, the body's lines, dot-stuffed, a line with a
    #       single '.'), QUIT.
    # TODO: a 4xx or 5xx reply: send QUIT, print the reply on sys.stderr, sys.exit(1).
    sock.close()


if __name__ == '__main__':
    main()
