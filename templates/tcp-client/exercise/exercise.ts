import { defineExercise, end, expectBytes, send } from 'netgrade';

export default defineExercise({
  id: '{{id}}',
  title: 'A TCP client that prints what the server sends',
  entry: '{{entry}}',
  languages: ['{{language}}'],
  checks: {
    prints: {
      title: 'prints exactly the message the server sends, then exits',
      points: 2,
      run: async (ctx) => {
        // A message the program cannot know in advance: random, from the run's seed.
        const message = `Message ${ctx.random.string(12)}`;
        const server = await ctx.serve([send(message), end()]);
        const program = await ctx.launch({ port: server.port, env: { HOST: '127.0.0.1' } });
        await program.waitForExit({ after: 'the server closed the connection', timeoutMs: 5000 });
        const printed = program.stdout.bytes;
        expectBytes(printed.at(-1) === 0x0a ? printed.subarray(0, -1) : printed, message, { what: 'What your program printed' });
      },
    },
  },
});
