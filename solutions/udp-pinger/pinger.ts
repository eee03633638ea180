import dgram from 'node:dgram';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 12000);
const PINGS = 10;
const WAIT_MS = 1000;

const socket = dgram.createSocket('udp4');
// "Port unreachable" for a ping: that ping simply gets no echo and times out.
socket.on('error', () => {});

/**
 * Sends ping `n` and resolves with its round trip in ms, or null after 1 s without its echo.
 * Echoes of other pings (late ones, second copies) are ignored.
 */
function ping(n: number): Promise<number | null> {
  return new Promise((resolve) => {
    const sentAt = performance.now();
    const onMessage = (message: Buffer) => {
      if (!message.toString('utf8').startsWith(`Ping ${n} `)) return;
      finish(performance.now() - sentAt);
    };
    const finish = (rtt: number | null) => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(rtt);
    };
    const timer = setTimeout(() => finish(null), WAIT_MS);
    socket.on('message', onMessage);
    socket.send(`Ping ${n} ${Date.now()}`, port, host);
  });
}

const rtts: number[] = [];
for (let n = 1; n <= PINGS; n++) {
  const rtt = await ping(n);
  if (rtt === null) {
    console.log(`Request ${n} timed out`);
  } else {
    rtts.push(rtt);
    console.log(`Reply ${n}: rtt=${rtt.toFixed(3)} ms`);
  }
}

const loss = Math.round(((PINGS - rtts.length) / PINGS) * 100);
if (rtts.length === 0) {
  console.log(`0/${PINGS} received, 100% loss`);
} else {
  // From the values as printed, so the summary agrees with the lines to the last decimal.
  const shown = rtts.map((rtt) => Number(rtt.toFixed(3)));
  const avg = shown.reduce((a, b) => a + b, 0) / shown.length;
  console.log(`${rtts.length}/${PINGS} received, ${loss}% loss, rtt min/avg/max = ${Math.min(...shown).toFixed(3)}/${avg.toFixed(3)}/${Math.max(...shown).toFixed(3)} ms`);
}
socket.close();
