import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { entriesOf } from '../exercise/define.ts';
import { listCatalog, loadExerciseFile } from '../exercise/registry.ts';
import { joinWords } from '../report/format.ts';

/**
 * Writes what a course's students get into `out`: a package that depends on netgrade as the
 * course does, with the course's exercises (`ids`, or all of them) as their folders hold them:
 * statement, starter and checks. Never solutions/ or fixtures/, which stay in the course. An
 * exercise with hidden checks is refused: its exercise.ts holds their code. Returns the ids packed.
 */
export async function packForStudents(course: string, out: string, ids?: readonly string[]): Promise<string[]> {
  if (await stat(out).then(() => true, () => false)) {
    if ((await readdir(out)).length > 0) throw new UsageError(`${out} is not empty: give a new folder for the student pack.`);
  }
  const inCourse = (await listCatalog({ course })).filter((entry) => entry.origin === 'course');
  const chosen = ids ?? inCourse.map((entry) => entry.id);
  const unknown = chosen.filter((id) => !inCourse.some((entry) => entry.id === id));
  if (unknown.length > 0) throw new UsageError(`${joinWords(unknown.map((id) => `"${id}"`), 'and')} is not an exercise of this course; its exercises are ${inCourse.map((entry) => entry.id).join(', ') || '(none)'}.`);
  if (chosen.length === 0) throw new UsageError(`${path.join(course, 'exercises')} has no exercise to pack.`);
  const exercises = [];
  for (const id of chosen) {
    const entry = inCourse.find((candidate) => candidate.id === id)!;
    const exercise = await loadExerciseFile(entry.file);
    const hidden = exercise.checks.filter((check) => check.hidden).map((check) => check.id);
    if (hidden.length > 0) {
      throw new UsageError(`${entry.file} has hidden checks (${hidden.join(', ')}): their code is in that file, and a student pack holds it. Leave the exercise out (--exercises), or grade it in your CI only.`);
    }
    exercises.push({ id, dir: path.dirname(entry.file), title: exercise.title, entries: entriesOf(exercise.entry, exercise.languages) });
  }
  const manifest = JSON.parse(await readFile(path.join(course, 'package.json'), 'utf8')) as Record<string, unknown>;
  const dependency = ['devDependencies', 'dependencies'].map((field) => (manifest[field] as Record<string, string> | undefined)?.netgrade).find((spec) => spec !== undefined);
  await mkdir(path.join(out, 'exercises'), { recursive: true });
  for (const exercise of exercises) await cp(exercise.dir, path.join(out, 'exercises', exercise.id), { recursive: true });
  const name = typeof manifest.name === 'string' ? manifest.name : path.basename(course);
  await writeFile(path.join(out, 'package.json'), `${JSON.stringify({ name: `${name}-student`, private: true, type: 'module', devDependencies: { netgrade: dependency ?? '*' } }, null, 2)}\n`);
  await writeFile(path.join(out, 'README.md'), studentReadme(name, exercises));
  await mkdir(path.join(out, '.github', 'workflows'), { recursive: true });
  await writeFile(path.join(out, '.github', 'workflows', 'classroom.yml'), classroomWorkflow(exercises[0]!.id));
  return exercises.map((exercise) => exercise.id);
}

function studentReadme(course: string, exercises: readonly { id: string; title: string; entries: readonly string[] }[]): string {
  const first = exercises[0]!;
  return `# ${course}: exercises

| exercise | what you write |
|---|---|
${exercises.map((exercise) => `| [\`${exercise.id}\`](exercises/${exercise.id}/README.md): ${exercise.title} | ${joinWords(exercise.entries.map((entry) => `\`${entry}\``), 'or')} |`).join('\n')}

Each exercise's statement is \`exercises/<id>/README.md\`, with a starter in \`exercises/<id>/starter/\`.
Install once, then grade your program, in a folder of its own, whenever you like:

\`\`\`sh
npm install
npx netgrade ${first.id} path/to/your/folder
npx netgrade ${first.id} path/to/your/folder --watch   # again at every save
\`\`\`

The report says what was expected, what your program did, and what to fix. On Linux, install
bubblewrap (\`sudo apt-get install bubblewrap\`): your program then runs in a sandbox, as it will
when your instructor grades it.
`;
}

// GitHub Classroom: each student's repository is graded at every push and the points reported.
function classroomWorkflow(exercise: string): string {
  return `# Grades the program at the top of this repository for one exercise at every push, and reports
# the points to GitHub Classroom. Set EXERCISE to the assignment's exercise.
name: Autograding Tests
on: [push, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
env:
  EXERCISE: ${exercise}
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - run: sudo apt-get install -y bubblewrap python3 python3-requests gcc
      - run: npm install
      - name: netgrade
        id: netgrade
        run: sudo --preserve-env=GITHUB_OUTPUT,PATH npx netgrade "$EXERCISE" . --github-classroom classroom.json --no-color || true
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          NETGRADE_RESULTS: \${{ steps.netgrade.outputs.result }}
        with:
          runners: netgrade
`;
}
