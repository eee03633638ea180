import { describe, expect, test } from 'vitest';
import { guardFormula, renderCsv } from './csv.ts';
import { makeBatch, makeCheck, makeStudent, sampleChecks } from '../../test/helpers/results.ts';

/** An RFC 4180 reader: CRLF between records; quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let state: 'plain' | 'quoted' | 'closed' = 'plain';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (state === 'quoted') {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') field += text[++i];
      else state = 'closed';
    } else if (char === ',' || (char === '\r' && text[i + 1] === '\n')) {
      record.push(field);
      field = '';
      state = 'plain';
      if (char === '\r') {
        records.push(record);
        record = [];
        i++;
      }
    } else if (state === 'plain' && char === '"' && field === '') {
      state = 'quoted';
    } else if (state === 'closed' || char === '"' || char === '\r' || char === '\n') {
      throw new Error(`Not RFC 4180: ${JSON.stringify(char)} at offset ${i}`);
    } else {
      field += char;
    }
  }
  if (state === 'quoted' || field !== '' || record.length > 0) throw new Error('Not RFC 4180: the last record does not end with CRLF');
  return records;
}

function result(student: string, exercise: string, points: number, maxPoints = 10) {
  return makeStudent(student, exercise, [makeCheck({ id: 'all', points, maxPoints, status: points === maxPoints ? 'pass' : 'fail' })]);
}

describe('renderCsv', () => {
  test('it writes a column per exercise in sorted order, a row per student sorted by id, and the total', () => {
    const batch = makeBatch('all', [result('carol', 'udp-time', 4), result('alice', 'tcp-echo', 7.5), result('bob', 'tcp-echo', 10), result('alice', 'udp-time', 3), result('carol', 'tcp-echo', 0), result('bob', 'http-get', 6)]);
    expect(parseCsv(renderCsv(batch))).toEqual([
      ['student', 'http-get', 'tcp-echo', 'udp-time', 'total'],
      ['(max points)', '10', '10', '10', '30'],
      ['alice', '', '7.5', '3', '10.5'],
      ['bob', '6', '10', '', '16'],
      ['carol', '', '0', '4', '4'],
    ]);
  });

  test('it scores a class graded on one exercise from realistic results', () => {
    const batch = makeBatch('tcp-echo', [makeStudent('alice', 'tcp-echo', sampleChecks())]);
    const max = String(batch.submissions[0]!.maxScore);
    expect(parseCsv(renderCsv(batch))).toEqual([['student', 'tcp-echo', 'total'], ['(max points)', max, max], ['alice', '3', '3']]);
  });

  test('it adds fractional scores without floating-point noise', () => {
    const batch = makeBatch('all', [result('alice', 'a', 0.1), result('alice', 'b', 0.2)]);
    expect(parseCsv(renderCsv(batch))[2]).toEqual(['alice', '0.1', '0.2', '0.3']);
  });

  test('it quotes commas, quotes and line breaks so every field reads back unchanged', () => {
    const names = ['smith, jo', 'say "hi"', 'two\nlines', 'cr\ronly', 'plain'];
    const batch = makeBatch('tcp-echo', names.map((name, i) => result(name, 'tcp-echo', i)));
    const rows = parseCsv(renderCsv(batch));
    expect(rows.slice(2).map((row) => row[0]).sort()).toEqual([...names].sort());
  });

  test('a student id that a spreadsheet would run as a formula gets a leading apostrophe', () => {
    const ids = ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)', '\tTAB', 'ok=fine'];
    const batch = makeBatch('tcp-echo', ids.map((id) => result(id, 'tcp-echo', 1)));
    const students = parseCsv(renderCsv(batch)).slice(2).map((row) => row[0]);
    expect(students.sort()).toEqual(["'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'-2", "'@SUM(A1)", "'\tTAB", 'ok=fine'].sort());
  });

  test('guardFormula leaves ordinary text alone', () => {
    expect(guardFormula('alice')).toBe('alice');
    expect(guardFormula('')).toBe('');
  });

  test('an empty batch is just the header and a maximum of 0', () => {
    expect(renderCsv(makeBatch('tcp-echo', []))).toBe('student,total\r\n(max points),0\r\n');
  });

  test('students are in the order a person sorts names: case aside, numbers by value', () => {
    const batch = makeBatch('tcp-echo', ['s10', 'Bob', 's2', 'alice', 'bob'].map((id) => result(id, 'tcp-echo', 1)));
    expect(parseCsv(renderCsv(batch)).slice(2).map((row) => row[0])).toEqual(['alice', 'Bob', 'bob', 's2', 's10']);
  });
});
