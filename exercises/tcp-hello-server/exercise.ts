import { defineExercise, expectBytes, fail, type CheckContext } from 'netgrade';

const GREETING = 'Hello from server';
const CONNECTION_LINE = 'Connection from <address> has been established.';

// Every check but `listens` talks to a freshly started server through one reference client.
async function connectToServer(ctx: CheckContext) {
  const program = await ctx.launch();
  const connection = await ctx.connect(await program.waitForListening());
  return { program, connection };
}

export default defineExercise({
  id: 'tcp-hello-server',
  title: 'Basic TCP server: greet each client and close',
  entry: 'server.ts',
  languages: ['typescript', 'python', 'c'],
  // The course text's server listens on 12345: a program that hard-codes it is right.
  port: 12345,
  checks: {
    listens: {
      title: 'listens on port 12345 (the port in PORT) within 10 s',
      points: 2,
      run: async (ctx) => {
        const program = await ctx.launch();
        await program.waitForListening({ timeoutMs: 10_000 });
      },
    },

    greeting: {
      title: `a client receives exactly "${GREETING}"`,
      points: 3,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const { program, connection } = await connectToServer(ctx);
        const { data } = await connection.readUntilClose({ timeoutMs: 2000 });
        if (connection.flooded) fail('Your server sent more than 1 MiB to a client that expected 17 bytes.');
        const crashed = data.length === 0 ? await program.exitWithin(500) : undefined;
        if (crashed) {
          fail(`Your server ${crashed.description} as soon as a client connected, without sending anything.`, {
            hint: 'Its error output below shows where it went wrong.',
          });
        }
        const text = data.toString('latin1');
        const extraNewline = /^Hello from server\r?\n$/.test(text);
        // C's sizeof: a pointer's size (8 bytes), or an array's, which counts its terminating NUL.
        const sizeofMistake = text === GREETING.slice(0, 8) || text === `${GREETING}\0`;
        expectBytes(data, GREETING, {
          what: 'The data your server sent',
          ...(sizeofMistake && {
            hint: `sizeof gives ${text.length === 8 ? 'the size of a pointer (8), not the length of the text it points to' : "an array's size, its terminating NUL byte included"}: send strlen(greeting) bytes.`,
          }),
          ...(extraNewline && {
            hint: {
              typescript: `Send the text alone, e.g. socket.end('${GREETING}'): a newline is an extra byte on the wire.`,
              python: `Send the text alone, e.g. client_socket.sendall(b'${GREETING}'): a newline is an extra byte on the wire.`,
              c: `Send the text alone, strlen("${GREETING}") bytes: a newline is an extra byte on the wire.`,
            },
          }),
        });
      },
    },

    closes: {
      title: 'closes the connection after the greeting (within 2 s)',
      points: 2,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const { connection } = await connectToServer(ctx);
        const { ended } = await connection.readUntilClose({ timeoutMs: 2000 });
        if (ended === null) {
          fail('Your server kept the connection open: the client was still waiting for the end of the stream after 2 s.', {
            hint: {
              typescript: 'Close the connection once the greeting is written, e.g. socket.end(greeting) or socket.write(...) then socket.end().',
              python: "Close the client's socket once the greeting is sent: client_socket.sendall(...), then client_socket.close().",
              c: "Close the client's socket once the greeting is sent: close(client) after send().",
            },
          });
        }
        if (ended === 'reset') {
          fail('Your server reset the connection (RST) instead of closing it, so the client may lose the greeting.', {
            hint: {
              typescript: 'Use socket.end() to close the connection gracefully.',
              python: 'Close with client_socket.close() after sendall(), without SO_LINGER set to 0: that sends a reset.',
              c: 'Close with close(client) after send(), without SO_LINGER set to 0: that sends a reset.',
            },
          });
        }
      },
    },

    'logs-connection': {
      title: `prints "${CONNECTION_LINE}" with the client's address`,
      points: 2,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const { program, connection } = await connectToServer(ctx);
        await connection.readUntilClose({ timeoutMs: 2000 });
        const { line: first } = await program.waitForLine(/connection from/i, { what: `the line "${CONNECTION_LINE}"`, timeoutMs: 2000 });
        // A server logs every connection, and this client's need not be the first (on a machine
        // without /proc the grader connects once to see that the server listens): judge its line.
        const thisClient = new RegExp(`connection from .*\\b${connection.localPort}\\b`, 'i');
        const found = await program.waitForOutput((text) => thisClient.test(text), { timeoutMs: 1000 });
        const line = found ? program.stdout.lines.find((printed) => thisClient.test(printed))! : first;
        const address = /^Connection from (.+) has been established\.$/.exec(line.trim())?.[1];
        if (address === undefined) {
          fail(`Your server printed "${line}", which is not in the form "${CONNECTION_LINE}".`, {
            hint: 'Print the sentence exactly, with your client\'s address in the middle and a full stop at the end.',
          });
        }
        checkClientAddress(address, connection.localPort, program.port);
      },
    },
  },
});

// The client's address may be printed in any form Node or Python gives for loopback (127.0.0.1,
// ::ffff:127.0.0.1, ::1, [::1], ('127.0.0.1', 40321)), with its port in any form (`::1:40321` included).
function checkClientAddress(address: string, clientPort: number, serverPort: number): void {
  const ports = (address.match(/\d{2,5}/g) ?? []).map(Number);
  const hasLoopbackIp = /(^|[^\d.])127\.0\.0\.1(?![\d.])|::1(?![\da-f])/i.test(address);
  if (ports.includes(clientPort) && hasLoopbackIp) return;
  if (hasLoopbackIp && !ports.includes(serverPort)) {
    fail(`Your server printed the address "${address}" without the client's port; the client connected from port ${clientPort}.`, {
      hint: {
        typescript: 'Print the port too: `${socket.remoteAddress}:${socket.remotePort}`.',
        python: "Print the whole address accept() returned, port included: print(f'Connection from {address} has been established.').",
        c: 'Print the port too: printf("Connection from %s:%d has been established.\\n", ip, ntohs(client_address.sin_port)).',
      },
    });
  }
  const seen = `Your server printed the address "${address}", but the client connected from 127.0.0.1 (or ::1) port ${clientPort}.`;
  if (!ports.includes(clientPort) && ports.includes(serverPort)) {
    fail(seen, {
      hint: {
        typescript: `${serverPort} is your server's own port; print the client's: socket.remoteAddress and socket.remotePort.`,
        python: `${serverPort} is your server's own port; print the client's: the address accept() returns with the client's socket.`,
        c: `${serverPort} is your server's own port; print the client's: the address accept() filled in, with ntohs(sin_port).`,
      },
    });
  }
  fail(seen, {
    hint: {
      typescript: "Print the client's IP address and port: socket.remoteAddress and socket.remotePort.",
      python: "Print the client's IP address and port: the address accept() returns, ('127.0.0.1', 51234).",
      c: "Print the client's IP address and port from the address accept() filled in: inet_ntop() and ntohs(sin_port).",
    },
  });
}
