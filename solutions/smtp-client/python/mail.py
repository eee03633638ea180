import os
import socket
import sys

HOST = os.environ.get('HOST', 'localhost')
PORT = int(os.environ.get('PORT', 25))
MAIL_FROM = os.environ.get('MAIL_FROM', '')
MAIL_TO = [address.strip() for address in os.environ.get('MAIL_TO', '').split(',') if address.strip()]
SUBJECT = os.environ.get('SUBJECT', '')
BODY = os.environ.get('BODY', '')


class SmtpError(Exception):
    """The server answered a command with a code it should not have: 4xx or 5xx."""


class Replies:
    """Reads whole replies from the server: a reply ends with its last line, 'nnn text' (a space after the code)."""

    def __init__(self, sock):
        self.sock = sock
        self.pending = b''

    def read_line(self):
        # One recv() is not one line, nor one reply: keep what came until a b'\r\n'.
        while b'\r\n' not in self.pending:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError('the server closed the connection')
            self.pending += chunk
        line, self.pending = self.pending.split(b'\r\n', 1)
        return line.decode('utf-8', errors='replace')

    def expect(self, *codes):
        """The next whole reply's last line; raises SmtpError unless its code is one of `codes`."""
        line = self.read_line()
        while line[3:4] == '-':  # '250-...': more lines follow
            line = self.read_line()
        if int(line[:3]) not in codes:
            raise SmtpError(line)
        return line


def send_line(sock, line):
    sock.sendall(f'{line}\r\n'.encode('utf-8'))


def message():
    """The message: header lines, an empty line, the body, each line ended by \\r\\n; dot-stuffed; then '.'."""
    lines = [f'From: {MAIL_FROM}', f'To: {", ".join(MAIL_TO)}', f'Subject: {SUBJECT}', '']
    # A body line that starts with '.' gets one more, so none reads as the end of the message.
    lines += ['.' + line if line.startswith('.') else line for line in BODY.split('\n')]
    return '\r\n'.join(lines) + '\r\n.\r\n'


def send_mail(sock):
    replies = Replies(sock)
    try:
        replies.expect(220)
        send_line(sock, 'EHLO netgrade.client')
        replies.expect(250)
        send_line(sock, f'MAIL FROM:<{MAIL_FROM}>')
        replies.expect(250)
        for address in MAIL_TO:
            send_line(sock, f'RCPT TO:<{address}>')
            replies.expect(250, 251)
        send_line(sock, 'DATA')
        replies.expect(354)
        sock.sendall(message().encode('utf-8'))
        replies.expect(250)
        send_line(sock, 'QUIT')
        replies.expect(221)
    except SmtpError:
        # The server refused: say goodbye politely, then report its reply.
        send_line(sock, 'QUIT')
        try:
            replies.expect(221)
        except (SmtpError, OSError, ValueError):
            pass
        raise


def main():
    try:
        with socket.create_connection((HOST, PORT)) as sock:
            send_mail(sock)
    except SmtpError as error:
        print(f'mail not sent: the server said {error}', file=sys.stderr)
        sys.exit(1)
    except (OSError, ValueError) as error:  # refused, closed, reset; a reply that is not 'nnn text'
        print(f'mail not sent: {error}', file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
