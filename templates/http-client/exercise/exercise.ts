import { defineExercise, expectBytes, expectOneRequest, mockHttp } from 'netgrade';

const URL = 'https://api.example.com/greeting';

export default defineExercise({
  id: '{{id}}',
  title: 'An HTTP client that fetches a greeting',
  entry: '{{entry}}',
  languages: ['{{language}}'],
  // The host its programs reach: on the submission's network it leads to the grader.
  hosts: ['api.example.com'],
  checks: {
    prints: {
      title: `prints the "text" of the JSON that GET ${URL} returns`,
      points: 2,
      run: async (ctx) => {
        // Answered by the grader (nock inside a Node program, its own HTTPS server for any other):
        // no real network is used, every other host is blocked.
        const text = `Hello ${ctx.random.string(8)}`;
        const program = await ctx.launch({ http: [mockHttp('GET', URL, { status: 200, headers: { 'content-type': 'application/json' }, body: { text } })] });
        await program.waitForExit({ after: 'the response arrived', timeoutMs: 5000 });
        expectOneRequest(await program.httpRequests(), 'GET', URL);
        const printed = program.stdout.bytes;
        expectBytes(printed.at(-1) === 0x0a ? printed.subarray(0, -1) : printed, text, { what: 'What your program printed' });
      },
    },
  },
});
