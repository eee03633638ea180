import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installNetgrade, type Install } from '../helpers/install.ts';
import { runGrade } from '../helpers/run-grade.ts';

// netgrade cloned into a folder only its owner may enter (mode 0700, like /root, a home folder, or
// `mktemp -d` in CI): programs, which run as another user or in a sandbox, must still get
// everything of the grader's they load (the HTTP preload, nock), and the build must still run.
const ORDINARY_USER = 65534;

// Root's own install, and one that belongs to an ordinary user, all of it (their own clone).
const installs = {} as { root: Install; ordinary: Install };

beforeAll(async () => {
  installs.root = await installNetgrade();
  installs.ordinary = await installNetgrade({ owner: ORDINARY_USER });
}, 60_000);

afterAll(async () => {
  await Promise.all(Object.values(installs).map((install) => install.remove()));
});

describe('netgrade installed in a folder only its owner can enter', () => {
  // A umask of 077 (some CI images, hardened shells) must not make the grader's files unreadable to programs.
  const STRICT_UMASK = ['sh', '-c', 'umask 077; exec "$@"', 'sh'];
  test.each([
    { who: 'root, with the sandbox', install: 'root', uid: undefined, flags: [], prefix: [] },
    { who: 'root, without a sandbox (programs run as nobody)', install: 'root', uid: undefined, flags: ['--no-sandbox'], prefix: [] },
    { who: 'root with umask 077, with the sandbox', install: 'root', uid: undefined, flags: [], prefix: STRICT_UMASK },
    { who: 'root with umask 077, without a sandbox', install: 'root', uid: undefined, flags: ['--no-sandbox'], prefix: STRICT_UMASK },
    { who: 'an ordinary user', install: 'ordinary', uid: ORDINARY_USER, flags: [], prefix: [] },
  ])('as $who, the HTTP reference solution scores full marks', async ({ install: which, uid, flags, prefix }) => {
    const { project, bin } = installs[which as keyof typeof installs];
    const run = await runGrade(['http-get-todo', path.join(project, 'solutions/http-get-todo'), ...flags], {
      bin,
      prefix,
      ...(uid !== undefined && { uid }),
    });
    expect(run.report?.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`), run.stderr).toEqual([]);
    expect(run.leftovers).toEqual([]);
  });

  test('a Python HTTP client is answered by the grader\'s HTTPS server as root with the sandbox; as an ordinary user, without a private network, every check that needs it is the grader\'s error saying why', async () => {
    const root = installs.root;
    const graded = await runGrade(['http-get-todo', path.join(root.project, 'solutions/http-get-todo/python')], { bin: root.bin });
    expect(graded.report?.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`), graded.stderr).toEqual([]);
    const ordinary = installs.ordinary;
    const refused = await runGrade(['http-get-todo', path.join(ordinary.project, 'solutions/http-get-todo/python')], { bin: ordinary.bin, uid: ORDINARY_USER });
    const errors = refused.report!.checks.filter((c) => c.status === 'error');
    expect(errors.map((c) => c.id), refused.stderr).toEqual(['prints-todo', 'one-request', 'exits']);
    expect(errors[0]!.message).toContain("a Python program's HTTP is answered by the grader's servers on the submission's private network, which this grading has none of");
    expect(refused.leftovers).toEqual([]);
  });
});
