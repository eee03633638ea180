/**
 * Reads a value as Python prints it (`print(data)`, `pprint(data)`): a dict, list or tuple of
 * strings in either quote, numbers, True, False and None, over any number of lines. Returns the
 * value as JSON would hold it, or `undefined` when `text` is not one Python literal.
 */
export function parsePythonLiteral(text: string): unknown {
  let at = 0;
  const fail = (): never => {
    throw new SyntaxError(`not a Python literal at ${at}`);
  };
  const space = () => {
    while (/\s/.test(text[at] ?? '')) at++;
  };
  const expect = (token: string) => {
    space();
    if (!text.startsWith(token, at)) fail();
    at += token.length;
  };
  const sequence = <T>(close: string, item: () => T): T[] => {
    const items: T[] = [];
    for (;;) {
      space();
      if (text[at] === close) break;
      items.push(item());
      space();
      if (text[at] === ',') at++;
      else if (text[at] !== close) fail();
    }
    at++;
    return items;
  };
  const string = (): string => {
    const quote = text[at]!;
    let out = '';
    for (at++; text[at] !== quote; at++) {
      if (at >= text.length || text[at] === '\n') fail();
      if (text[at] !== '\\') {
        out += text[at];
        continue;
      }
      const escape = text[++at];
      const hex = (digits: number) => {
        const code = text.slice(at + 1, at + 1 + digits);
        if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(code)) fail();
        at += digits;
        return String.fromCodePoint(parseInt(code, 16));
      };
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };
      if (escape === 'x') out += hex(2);
      else if (escape === 'u') out += hex(4);
      else if (escape === 'U') out += hex(8);
      else if (escape !== undefined && escape in simple) out += simple[escape];
      else fail();
    }
    at++;
    return out;
  };
  const value = (): unknown => {
    space();
    const char = text[at];
    if (char === '{') {
      at++;
      return Object.fromEntries(
        sequence('}', () => {
          space();
          if (text[at] !== "'" && text[at] !== '"') fail();
          const key = string();
          expect(':');
          return [key, value()];
        }),
      );
    }
    if (char === '[') return at++, sequence(']', value);
    if (char === '(') return at++, sequence(')', value);
    if (char === "'" || char === '"') {
      // Adjacent literals are one string: pprint cuts a long one into several, a line each.
      let joined = string();
      for (space(); text[at] === "'" || text[at] === '"'; space()) joined += string();
      return joined;
    }
    for (const [word, meaning] of [['True', true], ['False', false], ['None', null]] as const) {
      if (text.startsWith(word, at) && !/\w/.test(text[at + word.length] ?? '')) return (at += word.length), meaning;
    }
    const number = /^-?(\d+\.?\d*(e[+-]?\d+)?|\.\d+)/i.exec(text.slice(at));
    if (!number) fail();
    at += number![0].length;
    return Number(number![0]);
  };
  try {
    const result = value();
    space();
    return at === text.length ? result : undefined;
  } catch {
    return undefined;
  }
}
