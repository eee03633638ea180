import net from 'node:net';

// Everyone who has sent a name, and the name they go by. A client without a name is not in the
// room: it hears nothing and nobody hears of it leaving.
const room = new Map<net.Socket, string>();

function broadcast(from: net.Socket, line: string): void {
  for (const [socket] of room) if (socket !== from) socket.write(`${line}\n`);
}

net
  .createServer((socket) => {
    // Lines are split on the bytes, so a UTF-8 character split between segments is decoded whole.
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (let end = pending.indexOf(0x0a); end >= 0; end = pending.indexOf(0x0a)) {
        const line = pending.subarray(0, end).toString('utf8').replace(/\r$/, '');
        pending = pending.subarray(end + 1);
        const name = room.get(socket);
        if (name === undefined) {
          room.set(socket, line);
          broadcast(socket, `* ${line} joined`);
        } else if (line !== '') {
          broadcast(socket, `${name}: ${line}`);
        }
      }
    });
    // 'close' follows both a clean end and a reset: one place to leave the room.
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      const name = room.get(socket);
      if (name === undefined) return;
      room.delete(socket);
      broadcast(socket, `* ${name} left`);
    });
    socket.on('error', () => {
      // a reset connection is closed next ('close' above); the others go on
    });
  })
  .listen(Number(process.env.PORT ?? 12345));
