import { execa } from 'execa';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT, runGrade } from '../helpers/run-grade.ts';

// A course repository with netgrade installed from its packed tarball: the course sees only what
// the package ships. (npm cannot install offline from its cache, and tests never use the network,
// so node_modules is laid out as npm would: the tarball unpacked as node_modules/netgrade, its
// dependencies as hard links of the ones this checkout installed, and the .bin links.)
let dir: string;
let course: string;
let grade: string;

const EXERCISE = `import { defineExercise, expectBytes } from 'netgrade';

export default defineExercise({
  id: 'course-hello',
  title: 'Greet the course',
  entry: 'server.ts',
  checks: {
    greeting: {
      title: 'a client receives exactly "Welcome to the course"',
      points: 2,
      run: async (ctx) => {
        const program = await ctx.launch();
        const connection = await ctx.connect(await program.waitForListening());
        const { data } = await connection.readUntilClose({ timeoutMs: 2000 });
        expectBytes(data, 'Welcome to the course', { what: 'The data your server sent' });
      },
    },
  },
});
`;
// A check that needs a port after the program started: the grader's own server for it.
const THEN_SERVE = `import { defineExercise } from 'netgrade';

export default defineExercise({
  id: 'course-then-serve',
  title: 'A server, then a client of the grader',
  entry: 'server.ts',
  checks: {
    both: {
      title: 'listens, and the grader then starts a server of its own',
      points: 1,
      run: async (ctx) => {
        const program = await ctx.launch();
        await program.waitForListening();
        await ctx.serve([]);
      },
    },
  },
});
`;
// Binds every port the grader allocates from (helpers of at most 900 listeners each, under the
// 1,024 open files a process gets), then listens on PORT.
const PORT_SQUATTER = `import { spawn } from 'node:child_process';
import net from 'node:net';

const own = Number(process.env.PORT);
const helper = \`
const net = require('node:net');
const [first, last, own] = process.argv.slice(1).map(Number);
let pending = last - first + 1;
const done = () => { if (--pending === 0) console.log('held'); };
for (let port = first; port <= last; port++) {
  if (port === own) { done(); continue; }
  const server = net.createServer();
  server.on('error', done);
  server.listen(port, done);
}\`;
const helpers = [];
for (let first = 20000; first <= 32767; first += 900) {
  const child = spawn(process.execPath, ['-e', helper, String(first), String(Math.min(first + 899, 32767)), String(own)], { stdio: ['ignore', 'pipe', 'inherit'] });
  helpers.push(new Promise((resolve) => child.stdout.once('data', resolve)));
}
await Promise.all(helpers);
net.createServer().listen(own);
`;
// The course text's port, and eleven checks in a row each starting the program afresh on it.
const CHAPTER_PORT = `import { defineExercise, expectBytes } from 'netgrade';

const greets = (n: number) => ({
  title: \`launch \${n}: a client receives the greeting on port 12345\`,
  points: 1,
  run: async (ctx: import('netgrade').CheckContext) => {
    const program = await ctx.launch();
    const connection = await ctx.connect(await program.waitForListening());
    const { data } = await connection.readUntilClose({ timeoutMs: 2000 });
    expectBytes(data, 'Hello from server', { what: 'The data your server sent' });
  },
});

export default defineExercise({
  id: 'course-chapter-port',
  title: 'The chapter server, eleven times on its port',
  entry: 'server.ts',
  languages: ['typescript', 'python'],
  port: 12345,
  checks: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [\`greets-\${i + 1}\`, greets(i + 1)])),
});
`;
// An impostor on the exercise's host: a program that verifies certificates makes no request.
const IMPOSTOR = `import { defineExercise, fail, mockHttp } from 'netgrade';

export default defineExercise({
  id: 'course-impostor',
  title: 'Refuse an impostor',
  entry: 'client.ts',
  languages: ['typescript', 'python'],
  hosts: ['api.example.org'],
  checks: {
    refuses: {
      title: 'makes no request to a server whose certificate nobody it trusts signed',
      points: 1,
      run: async (ctx) => {
        const program = await ctx.launch({ http: [mockHttp('GET', 'https://api.example.org/secret', { status: 200, body: 'secret' })], certificate: 'untrusted' });
        await program.exitWithin(5000);
        const requests = await program.httpRequests();
        if (requests.length > 0) fail(\`Your program sent \${requests[0]!.method} \${requests[0]!.url} to a server whose certificate no authority it trusts signed: it does not verify certificates.\`);
      },
    },
  },
});
`;
const server = (text: string) => `import net from 'node:net';
net.createServer((socket) => socket.end(${JSON.stringify(text)})).listen(Number(process.env.PORT));
`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'netgrade-course-'));
  await execa('npm', ['pack', '--pack-destination', dir], { cwd: ROOT });
  const tarball = (await readdir(dir)).find((name) => name.endsWith('.tgz'))!;
  course = path.join(dir, 'course');
  const modules = path.join(course, 'node_modules');
  await mkdir(course);
  await writeFile(path.join(course, 'package.json'), JSON.stringify({ name: 'net-course', private: true, type: 'module', devDependencies: { netgrade: `file:../${tarball}` } }));
  await execa('cp', ['-al', path.join(ROOT, 'node_modules'), modules]);
  await execa('tar', ['xzf', path.join(dir, tarball), '-C', dir]);
  await rename(path.join(dir, 'package'), path.join(modules, 'netgrade'));
  for (const name of ['grade', 'netgrade']) await symlink('../netgrade/bin/grade.js', path.join(modules, '.bin', name));
  grade = path.join(modules, '.bin', 'grade');

  await mkdir(path.join(course, 'exercises', 'course-hello'), { recursive: true });
  await writeFile(path.join(course, 'exercises', 'course-hello', 'exercise.ts'), EXERCISE);
  await mkdir(path.join(course, 'solutions', 'course-hello'), { recursive: true });
  await writeFile(path.join(course, 'solutions', 'course-hello', 'server.ts'), server('Welcome to the course'));
  await mkdir(path.join(course, 'fixtures', 'course-hello', 'wrong-text'), { recursive: true });
  await writeFile(path.join(course, 'fixtures', 'course-hello', 'wrong-text', 'server.ts'), server('Hello from server'));
  await mkdir(path.join(course, 'exercises', 'course-then-serve'), { recursive: true });
  await writeFile(path.join(course, 'exercises', 'course-then-serve', 'exercise.ts'), THEN_SERVE);
  // A built-in exercise copied into the course as it is: it imports the API by package name too.
  await cp(path.join(modules, 'netgrade', 'exercises', 'tcp-hello-server'), path.join(course, 'exercises', 'tcp-hello-server'), { recursive: true });
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a course with its own exercises', () => {
  test('grade list, run in the course, offers its exercises beside the built-in ones and says where each comes from', async () => {
    const run = await runGrade(['list'], { bin: grade, cwd: path.join(course, 'solutions'), json: false });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain(`course ${course}`);
    expect(run.stdout).toMatch(/^course-hello\s+Greet the course \(write server\.ts\) · course$/m);
    expect(run.stdout).toMatch(/^tcp-hello-server\s+.* · course$/m);
    expect(run.stdout).toMatch(/^http-get-todo\s+.* · built-in$/m);
  });

  test("a course exercise grades its reference solution full marks and a bug's failure, in the sandbox", async () => {
    const solved = await runGrade(['course-hello', 'solutions/course-hello'], { bin: grade, cwd: course });
    expect(solved.report?.checks.map((c) => [c.id, c.status]), solved.stderr).toEqual([['compiles', 'pass'], ['greeting', 'pass']]);
    const wrong = await runGrade(['course-hello', 'fixtures/course-hello/wrong-text'], { bin: grade, cwd: course });
    expect(wrong.report?.checks.map((c) => [c.id, c.status])).toEqual([['compiles', 'pass'], ['greeting', 'fail']]);
    expect(wrong.report?.checks[1]?.message).toContain('The data your server sent');
    expect(wrong.leftovers).toEqual([]);
  });

  test('a built-in exercise copied into the course is the course\'s, and verifies there with its solution and fixtures', async () => {
    const shipped = path.join(course, 'node_modules', 'netgrade');
    const run = await runGrade(['tcp-hello-server', path.join(shipped, 'solutions', 'tcp-hello-server')], { bin: grade, cwd: course });
    expect(run.report?.passed, run.stderr).toBe(true);
    await cp(path.join(shipped, 'solutions', 'tcp-hello-server'), path.join(course, 'solutions', 'tcp-hello-server'), { recursive: true });
    for (const fixture of ['extra-newline', 'async-await', 'never-listens']) {
      await cp(path.join(shipped, 'fixtures', 'tcp-hello-server', fixture), path.join(course, 'fixtures', 'tcp-hello-server', fixture), { recursive: true });
    }
    const verified = await runGrade(['verify', 'tcp-hello-server', '--runs', '1'], { bin: grade, cwd: course, json: false });
    expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
    // Its reference solution in each of its three languages, and the three fixtures.
    expect(verified.stdout).toContain('VERIFIED  6 of 6 submissions');
  });

  test("a program that holds every port the grader allocates from fails its check; it is not the grader's error", async () => {
    const squatter = path.join(dir, 'squatter');
    await mkdir(squatter, { recursive: true });
    await writeFile(path.join(squatter, 'server.ts'), PORT_SQUATTER);
    const run = await runGrade(['course-then-serve', squatter], { bin: grade, cwd: course });
    const check = run.report?.checks.find((c) => c.id === 'both');
    expect(check?.status, run.stderr).toBe('fail');
    expect(check?.message).toContain('every port from 20000 to 32767 was taken while your program ran');
    expect(run.leftovers).toEqual([]);
  });

  test("import('netgrade') works from plain Node in the course, as from its exercises", async () => {
    const { stdout } = await execa(process.execPath, ['--input-type=module', '-e', "const api = await import('netgrade'); console.log(typeof api.defineExercise, typeof api.mockHttp, api.mockHttp('GET', 'https://api.example.com/x', { status: 200 }).origin);"], { cwd: course });
    expect(stdout).toBe('function function https://api.example.com');
  });

  test("--course points at a course from anywhere; an unknown id names where it looked", async () => {
    const run = await runGrade(['course-hello', path.join(course, 'solutions', 'course-hello'), '--course', course], { bin: grade, cwd: dir });
    expect(run.report?.passed, run.stderr).toBe(true);
    const unknown = await runGrade(['no-such-exercise', '.', '--course', course], { bin: grade, cwd: dir, json: false });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain(`Unknown exercise "no-such-exercise". Known exercises (built in, or in ${path.join(course, 'exercises')}): `);
    expect(unknown.stderr).toMatch(/: (\S+, )*course-hello, course-then-serve, (\S+, )*tcp-hello-server/);
  });

  test("the course's own tsc finds the API's types through the package name, and catches a wrong dependency", async () => {
    const tsconfig = { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, include: ['exercises'] };
    await writeFile(path.join(course, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = path.join(course, 'node_modules', 'typescript', 'bin', 'tsc');
    const clean = await execa(process.execPath, [tsc, '-p', course], { reject: false });
    expect(clean.stdout, clean.stdout).toBe('');
    expect(clean.exitCode).toBe(0);
    const typo = EXERCISE.replace('id: \'course-hello\',', "id: 'course-hello',\n  compilePoints: 1,").replace('points: 2,', "points: 2,\n      dependsOn: ['greting'],");
    await writeFile(path.join(course, 'exercises', 'course-hello', 'exercise.ts'), typo);
    const broken = await execa(process.execPath, [tsc, '-p', course], { reject: false });
    await writeFile(path.join(course, 'exercises', 'course-hello', 'exercise.ts'), EXERCISE);
    expect(broken.exitCode).not.toBe(0);
    expect(broken.stdout).toContain('"greting"');
  });

  test('grade verify checks the course\'s exercises, and says what is wrong with a fixture in its author\'s terms', async () => {
    const expectFile = path.join(course, 'fixtures', 'course-hello', 'wrong-text', 'expect.json');
    const verify = (...args: string[]) => runGrade(['verify', 'course-hello', '--runs', '2', ...args], { bin: grade, cwd: course, json: false });

    const missing = await verify();
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(`${expectFile} is missing: every fixture needs one`);

    await writeFile(expectFile, JSON.stringify({ why: 'greets with the wrong text', fails: ['greting'] }));
    const typo = await verify();
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain(`${expectFile} names "greting", which course-hello has no check called; its checks are compiles, greeting.`);

    await writeFile(expectFile, JSON.stringify({ why: 'claims to pass', fails: [] }));
    const mismatch = await verify();
    expect(mismatch.exitCode).toBe(1);
    expect(mismatch.stdout).toMatch(/✘ mismatch course-hello\/wrong-text \(seed \d+; claims to pass\)\n\s+failed greeting, expected none/);

    await writeFile(expectFile, JSON.stringify({ why: 'greets with the wrong text', fails: ['greeting'] }));
    const junit = path.join(dir, 'verify.xml');
    const ok = await verify('--junit', junit);
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('✔ ok       course-hello/solution');
    expect(ok.stdout).toMatch(/^course-hello\s+2\s+2\s+0\s+0$/m);
    expect(ok.stdout).toContain('VERIFIED  2 of 2 submissions got their expected verdicts in each of 2 runs');
    expect(await readFile(junit, 'utf8')).toContain('<testcase name="wrong-text" classname="course-hello"/>');
  });

  test('an exercise whose id does not match its folder, or that exports nothing, is a usage error naming the file and the fix', async () => {
    const folder = path.join(course, 'exercises', 'misnamed');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'exercise.ts'), EXERCISE);
    const misnamed = await runGrade(['misnamed', '.'], { bin: grade, cwd: course, json: false });
    await writeFile(path.join(folder, 'exercise.ts'), EXERCISE.replace('export default defineExercise', 'export const exercise = defineExercise'));
    const undeclared = await runGrade(['misnamed', '.'], { bin: grade, cwd: course, json: false });
    await rm(folder, { recursive: true });
    expect(misnamed.exitCode).toBe(2);
    expect(misnamed.stderr).toContain(`${path.join(folder, 'exercise.ts')} declares id "course-hello", but its folder is "misnamed"; rename one so they match.`);
    expect(undeclared.exitCode).toBe(2);
    expect(undeclared.stderr).toContain(`${path.join(folder, 'exercise.ts')} must \`export default defineExercise({...})\``);
  });

  test("an author's mistakes, graded and verified: a missing await is that check's error, the others graded; a dependsOn typo is refused naming the file", async () => {
    const noAwait = path.join(course, 'exercises', 'course-no-await');
    await mkdir(noAwait, { recursive: true });
    // waitForListening is not awaited: it rejects after the check has moved on, as the check closes.
    await writeFile(path.join(noAwait, 'exercise.ts'), EXERCISE.replace("id: 'course-hello'", "id: 'course-no-await'").replace(
      'checks: {',
      `checks: {
    forgets: {
      title: 'forgets an await',
      points: 1,
      run: async (ctx) => {
        const program = await ctx.launch();
        void ctx.connect({ host: '127.0.0.1', port: program.port + 1 }, { timeoutMs: 100 });
        await new Promise((resolve) => setTimeout(resolve, 300));
      },
    },`,
    ));
    const typo = path.join(course, 'exercises', 'course-typo');
    await mkdir(typo, { recursive: true });
    await writeFile(path.join(typo, 'exercise.ts'), EXERCISE.replace("id: 'course-hello'", "id: 'course-typo'").replace("points: 2,", "points: 2,\n      dependsOn: ['greetings'] as never,"));
    try {
      const graded = await runGrade(['course-no-await', 'solutions/course-hello'], { bin: grade, cwd: course });
      expect(graded.report?.checks.map((c) => [c.id, c.status]), graded.stderr).toEqual([['compiles', 'pass'], ['forgets', 'error'], ['greeting', 'pass']]);
      const forgets = graded.report!.checks[1]!;
      expect(forgets.message).toContain('a missing await in the exercise?');
      expect(forgets.details.join('\n')).toMatch(/connect|ECONNREFUSED|127\.0\.0\.1/);
      // The author sees the same in grade verify: the check's error and why, not a lost worker.
      await cp(path.join(course, 'solutions', 'course-hello'), path.join(course, 'solutions', 'course-no-await'), { recursive: true });
      const verified = await runGrade(['verify', 'course-no-await', '--runs', '1'], { bin: grade, cwd: course, json: false });
      expect(verified.exitCode, verified.stderr).toBe(1);
      expect(verified.stdout).toMatch(/the grader itself failed in forgets: .*a missing await in the exercise\?/);
      const refusal = `${path.join(typo, 'exercise.ts')} could not be loaded: Exercise "course-typo": check "greeting" depends on "greetings", which is not a check of it`;
      for (const command of [['verify', 'course-typo', '--runs', '1'], ['course-typo', 'solutions/course-hello']]) {
        const typoed = await runGrade(command, { bin: grade, cwd: course, json: false });
        expect(typoed.exitCode).toBe(2);
        expect(typoed.stderr).toContain(refusal);
      }
    } finally {
      await rm(noAwait, { recursive: true });
      await rm(path.join(course, 'solutions', 'course-no-await'), { recursive: true, force: true });
      await rm(typo, { recursive: true });
    }
  });

  test("the chapter's server, as printed (port 12345 hard-coded, no SO_REUSEADDR, it closes first), passes eleven checks in a row, each launching it afresh: on a private network and on the machine's own", async () => {
    const folder = path.join(course, 'exercises', 'course-chapter-port');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'exercise.ts'), CHAPTER_PORT);
    const chapter = await readFile(path.join(ROOT, 'fixtures/course-text/network-programming-in-python.md'), 'utf8');
    const [, indent, code] = /^( *)```python\n([\s\S]*?)^ *```$/m.exec(chapter)!;
    const student = path.join(dir, 'chapter-server');
    await mkdir(student, { recursive: true });
    await writeFile(path.join(student, 'server.py'), code!.split('\n').map((line) => line.slice(indent!.length)).join('\n'));
    try {
      // Without a sandbox, a root grader's programs run as nobody, who cannot reach a python3 under
      // /root (pyenv's): the system's python3 serves there.
      for (const [flags, env] of [[[], {}], [['--no-sandbox'], { PATH: `/usr/bin:/bin:${process.env.PATH}` }]] as const) {
        const run = await runGrade(['course-chapter-port', student, ...flags], { bin: grade, cwd: course, env });
        expect(run.report?.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`), `${flags.join(' ')} ${run.stderr}`).toEqual([]);
        expect(run.report?.launches).toBe(11);
        expect(run.leftovers).toEqual([]);
      }
    } finally {
      await rm(folder, { recursive: true });
      await rm(student, { recursive: true });
    }
  });

  test("a launch with an impostor's certificate: programs that verify certificates refuse it, and those that turned verification off are seen making their request, in Python and in Node", async () => {
    const folder = path.join(course, 'exercises', 'course-impostor');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'exercise.ts'), IMPOSTOR);
    const programs: [string, string, string][] = [
      ['verifies', 'client.py', "import requests\ntry:\n    print(requests.get('https://api.example.org/secret', timeout=5).text)\nexcept requests.exceptions.SSLError as error:\n    print('refused', error)\n"],
      ['verify-false', 'client.py', "import requests\nprint(requests.get('https://api.example.org/secret', timeout=5, verify=False).text)\n"],
      ['verifies', 'client.ts', "try {\n  console.log(await (await fetch('https://api.example.org/secret')).text());\n} catch (error) {\n  console.log('refused', (error as Error).cause);\n}\n"],
      ['reject-unauthorized-false', 'client.ts', "import https from 'node:https';\nhttps.get('https://api.example.org/secret', { rejectUnauthorized: false }, (response) => response.pipe(process.stdout));\n"],
    ];
    try {
      for (const [style, entry, source] of programs) {
        const student = await mkdtemp(path.join(dir, 'impostor-'));
        await writeFile(path.join(student, entry), source);
        const run = await runGrade(['course-impostor', student], { bin: grade, cwd: course });
        const check = run.report!.checks.find((c) => c.id === 'refuses')!;
        expect(check.status, `${entry} ${style}: ${check.message} ${run.stderr}`).toBe(style === 'verifies' ? 'pass' : 'fail');
        if (style !== 'verifies') expect(check.message).toContain('Your program sent GET https://api.example.org/secret to a server whose certificate no authority it trusts signed');
        else expect(check.programs[0]!.stdout).toMatch(/^refused /);
        expect(run.leftovers).toEqual([]);
      }
    } finally {
      await rm(folder, { recursive: true });
    }
  });

  test("grade pack --student makes what students get: the exercises with their statements and starters, nothing of solutions/ or fixtures/ (by content), and a student with only that grades a program as the course does", async () => {
    const pack = path.join(dir, 'student-pack');
    const made = await runGrade(['pack', '--student', pack], { bin: grade, cwd: course, json: false });
    expect(made.exitCode, made.stderr).toBe(0);
    expect(made.stdout).toContain(`wrote ${pack}: course-hello`);
    expect(await readdir(path.join(pack, 'exercises'))).toContain('course-hello');
    expect((await readdir(pack)).sort()).toEqual(['.github', 'README.md', 'exercises', 'package.json']);
    // Nothing of the course's solutions or fixtures, whatever a file is named.
    const filesIn = async (root: string) => (await readdir(root, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
    const secrets = await Promise.all([...(await filesIn(path.join(course, 'solutions'))), ...(await filesIn(path.join(course, 'fixtures')))].map((file) => readFile(file, 'utf8')));
    const packed = await Promise.all((await filesIn(pack)).map((file) => readFile(file, 'utf8')));
    for (const secret of secrets.filter((text) => text.trim().length > 20)) expect(packed.some((text) => text.includes(secret.trim()))).toBe(false);
    // A student's folder with the pack and netgrade installed, and nothing of the course.
    const student = path.join(dir, 'student');
    await cp(pack, student, { recursive: true });
    await execa('cp', ['-al', path.join(course, 'node_modules'), path.join(student, 'node_modules')]);
    await mkdir(path.join(student, 'work'));
    await writeFile(path.join(student, 'work', 'server.ts'), server('Welcome to the course'));
    // As a student types it: npx finds the netgrade the pack depends on.
    const graded = await execa('npx', ['--no-install', 'netgrade', 'course-hello', 'work', '--json', '-'], { cwd: student, reject: false, env: { npm_config_offline: 'true' } });
    const report = JSON.parse(graded.stdout) as { checks: { id: string; status: string }[] };
    expect(report.checks.map((c) => `${c.id}:${c.status}`), graded.stderr).toEqual(['compiles:pass', 'greeting:pass']);
    // An exercise with hidden checks would give their code away: refused, naming it.
    const hiddenFolder = path.join(course, 'exercises', 'course-hidden');
    await mkdir(hiddenFolder, { recursive: true });
    await writeFile(path.join(hiddenFolder, 'exercise.ts'), EXERCISE.replace("id: 'course-hello'", "id: 'course-hidden'").replace('points: 2,', 'points: 2,\n      hidden: true,'));
    try {
      const refused = await runGrade(['pack', '--student', path.join(dir, 'pack-hidden')], { bin: grade, cwd: course, json: false });
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toContain(`${path.join(hiddenFolder, 'exercise.ts')} has hidden checks (greeting)`);
    } finally {
      await rm(hiddenFolder, { recursive: true });
    }
  });

  test('an exercise compiled before is reused until a file it was made from changes, or a new file changes what it imports', async () => {
    const folder = path.join(course, 'exercises', 'course-cached');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'exercise.ts'), "import { defineExercise } from 'netgrade';\nimport { TITLE } from './title';\n\nexport default defineExercise({ id: 'course-cached', title: TITLE, entry: 'server.ts', checks: {} });\n");
    await writeFile(path.join(folder, 'title.js'), "export const TITLE = 'First';\n");
    const title = async () => {
      const run = await runGrade(['list'], { bin: grade, cwd: course, json: false });
      expect(run.exitCode, run.stderr).toBe(0);
      return /^course-cached\s+(\S+) \(write server\.ts\)/m.exec(run.stdout)?.[1];
    };
    const records = async () => (await readdir(path.join(course, 'node_modules', 'netgrade', 'node_modules', '.cache', 'netgrade', 'exercises'))).filter((name) => name.startsWith('course-cached-') && name.endsWith('.json'));
    // A fingerprint is kept only for files that have not changed in the last 2 s.
    const settle = () => new Promise((resolve) => setTimeout(resolve, 2100));
    try {
      expect(await title()).toBe('First');
      expect(await records()).toEqual([]);
      await settle();
      expect(await title()).toBe('First');
      expect(await records()).toHaveLength(1);
      // The same size, so only the file's change time tells.
      await writeFile(path.join(folder, 'title.js'), "export const TITLE = 'Other';\n");
      expect(await title()).toBe('Other');
      await settle();
      expect(await title()).toBe('Other');
      // title.ts now comes before title.js for `./title`: only the folder changed.
      await writeFile(path.join(folder, 'title.ts'), "export const TITLE: string = 'Third';\n");
      expect(await title()).toBe('Third');
    } finally {
      await rm(folder, { recursive: true });
    }
  });

  test('grade new writes an exercise of each kind that grade verify passes straight away', async () => {
    for (const kind of ['tcp-server', 'tcp-client', 'http-client']) {
      const made = await runGrade(['new', `new-${kind}`, '--kind', kind], { bin: grade, cwd: course, json: false });
      expect(made.exitCode, made.stderr).toBe(0);
      expect(made.stdout).toContain(`wrote ${path.join(course, 'exercises', `new-${kind}`)}`);
    }
    for (const kind of ['tcp-server', 'tcp-client', 'http-client']) {
      const made = await runGrade(['new', `py-${kind}`, '--kind', kind, '--language', 'python'], { bin: grade, cwd: course, json: false });
      expect(made.exitCode, made.stderr).toBe(0);
      // Python's programs only: the statement names its entry, and no TypeScript is left in it.
      expect(await readFile(path.join(course, 'exercises', `py-${kind}`, 'README.md'), 'utf8')).toContain(`Write \`${kind === 'tcp-server' ? 'server' : 'client'}.py\``);
      expect((await readdir(path.join(course, 'solutions', `py-${kind}`)))).toEqual([`${kind === 'tcp-server' ? 'server' : 'client'}.py`]);
    }
    // The Python HTTP client is answered by the grader's own HTTPS server, on the submission's network.
    const verified = await runGrade(['verify', 'new-tcp-server', 'new-tcp-client', 'new-http-client', 'py-tcp-server', 'py-tcp-client', 'py-http-client', '--runs', '2'], { bin: grade, cwd: course, json: false });
    expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('VERIFIED  14 of 14 submissions');
    const noTemplate = await runGrade(['new', 'c-server', '--kind', 'tcp-server', '--language', 'c'], { bin: grade, cwd: course, json: false });
    expect(noTemplate.exitCode).toBe(2);
    expect(noTemplate.stderr).toContain('There is no tcp-server template in C yet');
    const again = await runGrade(['new', 'new-tcp-server'], { bin: grade, cwd: course, json: false });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('already exists: choose another id');
    const badId = await runGrade(['new', 'Bad_Id'], { bin: grade, cwd: course, json: false });
    expect(badId.stderr).toContain('"Bad_Id" cannot be an exercise id');
    const nowhere = await runGrade(['new', 'lost'], { bin: grade, cwd: dir, json: false });
    expect(nowhere.stderr).toContain('grade new writes into a course');
  });
});
