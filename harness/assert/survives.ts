import { fail } from './expect.ts';
import type { Hint } from '../language/language.ts';
import type { Program } from '../process/program.ts';

/**
 * Runs `steps`, which follow something done to a server (`after`: "a client reset its
 * connection"). If the server has ended by then, or they fail because it ended, the check fails
 * saying so, rather than with what then went missing: "Your server exited with code 1 after a
 * client reset its connection." `crashHint` says what usually causes a crash there; an exit with
 * code 0 gets "a server runs until it is stopped".
 */
export async function expectSurvives(program: Program, after: string, steps: () => Promise<unknown>, options: { crashHint?: Hint } = {}): Promise<void> {
  let failure: unknown;
  try {
    await steps();
  } catch (error) {
    failure = error;
  }
  const exit = program.exit ?? (failure === undefined ? undefined : await program.exitWithin(2000));
  if (exit) {
    fail(`Your server ${exit.description} after ${after}.`, {
      hint: exit.code === 0
        ? { typescript: 'A server runs until it is stopped: nothing a client does should end it (process.exit, closing its socket).', python: 'A server runs until it is stopped: nothing a client does should end it (sys.exit, closing its socket, leaving its loop).', c: 'A server runs until it is stopped: nothing a client does should end it (exit, closing its socket, leaving its loop; ignore SIGPIPE).' }
        : (options.crashHint ?? 'Its output, below, shows why.'),
    });
  }
  if (failure !== undefined) throw failure;
}
