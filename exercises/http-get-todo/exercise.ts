import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import {
  defineExercise,
  eachCase,
  expectBytes,
  expectNoUncaughtException,
  expectOneRequest,
  fail,
  mockHttp,
  parsePythonLiteral,
  type CheckContext,
  type Hint,
  type HttpReply,
} from 'netgrade';

const TODO_URL = 'https://jsonplaceholder.typicode.com/todos/1';
const FAILURE = 'Failed to get data';
// What this exercise asks a program to do about any failure, crash included.
const FAILURE_HINT: Hint = {
  typescript: `Catch every failure (try/catch around await fetch(...) and response.json(), or request.on('error', ...) with https.get) and print "${FAILURE}" on stdout.`,
  python: `Catch every failure: requests.get raises requests.ConnectionError (a requests.RequestException) when the connection fails, and response.json() raises a ValueError when the body is not JSON; put both in a try: with except (requests.RequestException, ValueError): print("${FAILURE}").`,
};
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const WAIT_MS = 5000;

interface Todo {
  userId: number;
  id: number;
  title: string;
  completed: boolean;
}

const TODOS = JSON.parse(readFileSync(new URL('./todos.json', import.meta.url), 'utf8')) as Todo[];

/** A todo the program cannot have hard-coded: a random title and state, still id 1 (the URL asks for it). */
function randomTodo(ctx: CheckContext): Todo {
  const { title } = ctx.random.pick(TODOS);
  return { userId: ctx.random.int(1, 10), id: 1, title, completed: ctx.random.pick([true, false]) };
}

/** Runs the program against a mocked API that answers `reply`, until it exits (or 5 s pass). */
async function runAgainst(ctx: CheckContext, reply: HttpReply, ready: (stdout: string) => boolean = () => false) {
  const program = await ctx.launch({ http: [mockHttp('GET', TODO_URL, reply)] });
  await program.waitForOutput(ready, { timeoutMs: WAIT_MS });
  await program.exitWithin(300);
  return program;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// What `console.log(obj)` prints: keys without quotes, strings in single quotes.
const JS_OBJECT_LITERAL = /^\s*\{[\s\S]*\b[A-Za-z_]\w*:\s/;

const FAILURE_CASES: { id: string; situation: string; reply: HttpReply }[] = [
  { id: 'status-404', situation: 'the server answered 404 with the body {}', reply: { status: 404, headers: JSON_HEADERS, body: {} } },
  { id: 'status-500', situation: 'the server answered 500 with a text body', reply: { status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal Server Error' } },
  { id: 'network-error', situation: 'the connection was reset (a network error)', reply: { error: { code: 'ECONNRESET', message: 'socket hang up' } } },
  { id: 'invalid-json', situation: 'the server answered 200 with a body that is not JSON', reply: { status: 200, headers: JSON_HEADERS, body: '<html>Service temporarily unavailable' } },
];

export default defineExercise({
  id: 'http-get-todo',
  title: 'HTTP client: fetch a todo from a REST API',
  entry: 'todo.ts',
  hosts: ['jsonplaceholder.typicode.com'],
  languages: ['typescript', 'python'],
  checks: {
    'prints-todo': {
      title: 'prints the todo the API returns, as JSON (or as Python prints a dict)',
      points: 3,
      run: async (ctx) => {
        const todo = randomTodo(ctx);
        const program = await runAgainst(ctx, { status: 200, headers: JSON_HEADERS, body: todo }, (out) => isDeepStrictEqual(parseJson(out) ?? parsePythonLiteral(out.trim()), todo));
        const printed = program.stdout.text.trim();
        // As JSON, or as Python prints a dict (print(response.json()), the course text's own line), compared by value.
        const parsed = parseJson(printed) ?? parsePythonLiteral(printed);
        if (isDeepStrictEqual(parsed, todo)) return;
        const expected = JSON.stringify(todo);
        if (printed === '') {
          expectNoUncaughtException(program.stderr.text, 'while fetching the todo', { allowStackTrace: true, hint: FAILURE_HINT });
          fail(`Your program printed nothing; it should print the todo the API returned: ${expected}`);
        }
        if (parsed === undefined && JS_OBJECT_LITERAL.test(printed)) {
          fail('Your program printed a JavaScript object (as console.log(obj) shows it), not JSON.', {
            details: [`printed:  ${printed.split('\n').join(' ')}`, `expected: ${expected}`],
            hint: 'Print it with console.log(JSON.stringify(data)).',
          });
        }
        fail(`Your program did not print the todo the API returned${parsed === undefined ? ' as JSON' : ''}.`, {
          details: [`printed:  ${printed.split('\n').join(' ')}`, `expected: ${expected} (any formatting)`],
          hint: printed === FAILURE
            ? `It printed "${FAILURE}": its request failed or was not answered; the HTTP requests below show what it asked for.`
            : 'Print the parsed body of the response and nothing else; the todo is different on every run.',
        });
      },
    },

    'one-request': {
      title: `makes exactly one request: GET ${TODO_URL}`,
      points: 2,
      run: async (ctx) => {
        const todo = randomTodo(ctx);
        const program = await runAgainst(ctx, { status: 200, headers: JSON_HEADERS, body: todo }, (out) => out.trim() !== '');
        expectOneRequest(await program.httpRequests(), 'GET', TODO_URL);
      },
    },

    failures: eachCase({
      cases: FAILURE_CASES,
      caseId: (c) => c.id,
      title: (c) => `prints "${FAILURE}" when ${c.situation}`,
      points: 1,
      dependsOn: ['one-request'],
      run: async (ctx, c) => {
        const program = await runAgainst(ctx, c.reply, (out) => out.includes(FAILURE));
        expectNoUncaughtException(program.stderr.text, `when ${c.situation}`, { allowStackTrace: true, hint: FAILURE_HINT });
        const printed = program.stdout.bytes;
        const line = printed.at(-1) === 0x0a ? printed.subarray(0, -1) : printed;
        expectBytes(line, FAILURE, {
          what: `When ${c.situation}, what your program printed`,
          hint: {
            typescript: `Check response.status (or statusCode) and catch errors, and print "${FAILURE}" alone on stdout.`,
            python: `Check response.status_code (or call response.raise_for_status() in the try) and catch errors, and print "${FAILURE}" alone on stdout.`,
          },
        });
      },
    }),

    exits: {
      title: 'exits by itself within 5 s',
      points: 1,
      run: async (ctx) => {
        const program = await ctx.launch({ http: [mockHttp('GET', TODO_URL, { status: 200, headers: JSON_HEADERS, body: randomTodo(ctx) })] });
        await program.waitForExit({ after: 'it started (it got its answer at once)', timeoutMs: WAIT_MS });
      },
    },
  },
});
