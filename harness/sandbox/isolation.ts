import { UsageError } from '../errors.ts';
import { detectIsolation } from './network.ts';
import { detectSandbox } from './support.ts';

/** How a run keeps submissions apart, decided once from the command line and the machine. */
export interface Isolation {
  /** Every build and program in a bubblewrap sandbox of its own. */
  sandbox: boolean;
  /** Every submission in a network namespace of its own (graded by a worker inside it). */
  network: boolean;
}

const NO_SANDBOX = 'pass --no-sandbox to grade without the sandbox (then one submission can change another\'s verdict)';

/**
 * What `--sandbox` (insist), `--no-sandbox` (turn off) or neither (use what the machine has) gives
 * here. A class is never graded without the full sandbox unless the instructor says so: its
 * programs are untrusted and could change each other's verdicts. One student grading their own
 * program gets a notice instead.
 */
export async function decideIsolation(wanted: boolean | undefined, forClass: boolean): Promise<{ isolation: Isolation; notices: string[] }> {
  if (wanted === false) {
    const notices = forClass ? ["Note: --no-sandbox: the class's programs run unconfined, and one submission can change another's verdict."] : [];
    return { isolation: { sandbox: false, network: false }, notices };
  }
  const [sandbox, network] = await Promise.all([detectSandbox(), detectIsolation()]);
  const insist = wanted === true || forClass;
  const flag = wanted === true ? '--sandbox' : 'Grading a class';
  if (!sandbox.available) {
    if (insist) throw new UsageError(`${flag} needs a sandbox for student programs, but ${sandbox.reason}. To fix it, ${sandbox.fix}; or ${NO_SANDBOX}.`);
    return {
      isolation: { sandbox: false, network: network.available },
      notices: [`Note: no sandbox for your program here (${sandbox.reason}); it runs unconfined. To fix it, ${sandbox.fix}.`],
    };
  }
  if (!network.available) {
    if (insist) throw new UsageError(`${flag} needs a private network for each submission, but ${network.reason}. Run the grader as root (\`sudo\`); or ${NO_SANDBOX}.`);
    return {
      isolation: { sandbox: true, network: false },
      notices: [`Note: no private network for your program here (${network.reason}); it shares this machine's and gets a free port from get-port.`],
    };
  }
  return { isolation: { sandbox: true, network: true }, notices: [] };
}
