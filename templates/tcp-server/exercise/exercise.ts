import { defineExercise, expectBytes, fail } from 'netgrade';

const GREETING = 'Hello from {{id}}';

export default defineExercise({
  id: '{{id}}',
  title: 'A TCP server that greets each client and closes',
  entry: '{{entry}}',
  languages: ['{{language}}'],
  checks: {
    listens: {
      title: 'listens on the port given in PORT within 10 s',
      points: 1,
      run: async (ctx) => {
        const program = await ctx.launch();
        await program.waitForListening({ timeoutMs: 10_000 });
      },
    },
    greets: {
      title: `a client receives exactly "${GREETING}", then the connection closes`,
      points: 2,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const program = await ctx.launch();
        const connection = await ctx.connect(await program.waitForListening());
        const { data, ended } = await connection.readUntilClose({ timeoutMs: 2000 });
        expectBytes(data, GREETING, { what: 'The data your server sent' });
        if (ended === null) {
          fail('Your server sent the greeting but kept the connection open: the client was still waiting for it to close after 2 s.', {
            hint: { typescript: 'Close the connection after the greeting: socket.end(greeting).', python: "Close the client's socket after the greeting: client.close()." },
          });
        }
      },
    },
  },
});
