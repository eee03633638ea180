import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { BUILT_IN_EXERCISES, listExerciseIds, loadExercise } from '../../harness/exercise/registry.ts';

/** One check as a statement's table shows it. */
interface Row {
  id: string;
  points: number;
  needs: string[];
}

/**
 * The table `| check | points | needs | what it checks |` of a statement, a row per check: ids in
 * backticks (a table's cases may share a row, `1 each`), needs as ids in backticks or `—`.
 */
function readTable(statement: string): Row[] {
  const lines = statement.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| check | points | needs | what it checks |'));
  if (start === -1) return [];
  const ids = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
  return lines
    .slice(start + 2)
    .filter((line, i, rest) => rest.slice(0, i + 1).every((l) => l.startsWith('|')))
    .flatMap((line) => {
      const [check = '', points = '', needs = ''] = line.slice(2).split(' | ');
      return ids(check).map((id) => ({ id, points: Number(points.replace(/ each$/, '')), needs: ids(needs) }));
    });
}

const exercises = await listExerciseIds();

describe("each statement's table of checks", () => {
  test.each(exercises)('%s: lists every check, in order, with its points and what it needs', async (id) => {
    const exercise = await loadExercise(id);
    const statement = await readFile(path.join(BUILT_IN_EXERCISES, id, 'README.md'), 'utf8');
    // Every check needs `compiles`, which the table does not repeat; a dependency on a table is named by the table.
    const expected = exercise.checks.map((check) => ({
      id: check.id,
      points: check.points,
      needs: [...new Set(check.dependsOn.filter((dep) => dep !== 'compiles').map((dep) => dep.split('/')[0]!))],
    }));
    expect(readTable(statement)).toEqual(expected);
  });
});
