import { describe, expect, test } from 'vitest';
import { parsePythonLiteral } from './python-literal.ts';

describe('a value as Python prints it', () => {
  test("print(response.json()) of a todo reads as the JSON it came from", () => {
    expect(parsePythonLiteral("{'userId': 1, 'id': 1, 'title': 'delectus aut autem', 'completed': False}")).toEqual({ userId: 1, id: 1, title: 'delectus aut autem', completed: false });
  });

  test("a string with an apostrophe, which Python prints in double quotes, and escapes", () => {
    expect(parsePythonLiteral(`{"title": "it's done", 'tab': 'a\\tb', 'e': '\\xe9\\u00e9', 'q': 'say \\'hi\\''}`)).toEqual({ title: "it's done", tab: 'a\tb', e: 'éé', q: "say 'hi'" });
  });

  test('pprint over several lines, with nested lists, tuples, None, floats and negatives', () => {
    expect(parsePythonLiteral("{'a': [1, 2.5, -3],\n 'b': (True, None),\n 'c': {'d': 1e3}}\n")).toEqual({ a: [1, 2.5, -3], b: [true, null], c: { d: 1000 } });
  });

  test('pprint of a long string: adjacent literals, a line each, are one string', () => {
    expect(parsePythonLiteral(`{'completed': False,\n 'title': 'quis ut nam '\n          "facilis it's",\n 'userId': 3}`)).toEqual({ completed: false, title: "quis ut nam facilis it's", userId: 3 });
  });

  test('is undefined for what is not one Python literal: JSON words, JavaScript objects, two values, cut text', () => {
    for (const text of ['{"completed": false}', '{ userId: 1 }', "{'a': 1} {'b': 2}", "{'a': 'open", "{'a' 1}", 'Failed to get data']) {
      expect(parsePythonLiteral(text), text).toBeUndefined();
    }
  });
});
