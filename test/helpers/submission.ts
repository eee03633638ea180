import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A student folder made on the fly for one test; `remove()` it in afterEach. */
export async function makeSubmission(files: Record<string, string>): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'netgrade-submission-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The line a server logs that is markup: a report must show it as text, never as elements. */
export const MARKUP_LINE = '<script>document.title = "pwned"</script><img src=x onerror=alert(1)>';

/** A tcp-hello-server that greets correctly and logs MARKUP_LINE instead of the connection line. */
export const LOGS_MARKUP = `import net from 'node:net';
const server = net.createServer((socket) => {
  console.log(${JSON.stringify(MARKUP_LINE)});
  socket.end('Hello from server');
  server.close();
});
server.listen(Number(process.env.PORT), 'localhost');
`;
