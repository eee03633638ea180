import { describe, expect, test } from 'vitest';
import { MAX_ROW, guardFormula, renderCsv } from './csv.ts';
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

  test('no cell starts a formula in a spreadsheet that splits at semicolons or tabs, and the rest stays readable', () => {
    const name = "mallory;=1+1;@SUM(1+1)*cmd|' -C calc'!A0";
    const batch = makeBatch('tcp-echo', [result(name, 'tcp-echo', 1)]);
    const text = renderCsv(batch);
    expect(parseCsv(text)[2]![0]).toBe("mallory;'=1+1;'@SUM(1+1)*cmd|' -C calc'!A0");
    expect(dangerousCells(text)).toEqual([]);
  });

  test('every piece between separators is guarded, after leading spaces too', () => {
    const names = ['a, =1', 'b;\t+1', 'c\t-1', ' =2', 'd\n@x', 'e\r=y', '\t=3', 'f;  -4;ok'];
    const text = renderCsv(makeBatch('tcp-echo', names.map((name) => result(name, 'tcp-echo', 1))));
    expect(dangerousCells(text)).toEqual([]);
    expect(guardFormula('f;  -4;ok')).toBe("f;'  -4;ok");
    expect(guardFormula('a, =1')).toBe("a,' =1");
    expect(guardFormula('\t=3')).toBe("'\t'=3");
  });

  test("a name that already starts with the ' marker gets another, so two students never share a cell", () => {
    expect(guardFormula("'=1")).toBe("''=1");
    expect(guardFormula('=1')).toBe("'=1");
    expect(guardFormula("x;'y")).toBe("x;''y");
    // Not at the start of a piece, an apostrophe is just a letter.
    expect(guardFormula("o'neil")).toBe("o'neil");
  });

  test('a student named like the maxima row never reads as it: only the maxima row starts with a parenthesis', () => {
    const names = [MAX_ROW, ` ${MAX_ROW}`, '(MAX POINTS)', `'${MAX_ROW}`, '(late) bob'];
    const rows = parseCsv(renderCsv(makeBatch('tcp-echo', names.map((name) => result(name, 'tcp-echo', 1)))));
    expect(rows[1]![0]).toBe(MAX_ROW);
    const students = rows.slice(2).map((row) => row[0]!);
    expect(students.filter((cell) => /^\s*\(/.test(cell))).toEqual([]);
    expect(students.sort()).toEqual([`'${MAX_ROW}`, `' ${MAX_ROW}`, "'(MAX POINTS)", `''${MAX_ROW}`, "'(late) bob"].sort());
  });

  test('characters that show nothing are written as escapes, so look-alike students read differently', () => {
    const rows = parseCsv(renderCsv(makeBatch('all', [result('amy', 'tcp-echo', 1), result('amy\u200b', 'tcp-echo', 0), result('amy\u202e\x1b', 'tcp\u2060echo', 0)])));
    expect(rows[0]).toEqual(['student', 'tcp-echo', 'tcp\\u2060echo', 'total']);
    expect(rows.slice(2).map((row) => row[0])).toEqual(['amy', 'amy\\u200b', 'amy\\u202e\\x1b']);
  });
});

/** The cells a spreadsheet could make of the text, splitting at any of `,` `;` tab or a line break, quoted or not, that would start a formula. */
function dangerousCells(text: string): string[] {
  const fields = parseCsv(text).flat();
  const naive = text.split(/[,;\t\r\n]/).map((cell) => cell.replace(/^"+/, ''));
  return [...fields.flatMap((field) => field.split(/[,;\t\r\n]/)), ...naive, ...fields].filter((cell) => /^\s*[=+\-@]/.test(cell) || /^[\t\r]/.test(cell));
}
