import type { Confinement } from '../process/confinement.ts';
import { processGroupConfinement } from '../process/process-group.ts';
import type { SandboxLayout } from './bwrap-args.ts';
import { createSubmissionCgroup } from './cgroup.ts';
import { claimPrivateUser } from './private-uid.ts';
import { programUser, type ProgramUser } from './program-user.ts';
import { sandboxConfinement } from './sandboxed.ts';

/**
 * How every process of one submission (its build and its programs) is confined: each in a
 * sandbox of its own, or, without one, in a process group as `nobody` (root grader) or the
 * grader's own user.
 */
export interface Jail {
  sandboxed: boolean;
  /** Who owns the submission's copies, if not the grader: the user its processes run as. */
  owner: ProgramUser | undefined;
  /** How to start a process that sees `layout` (a process group sees the whole machine instead). */
  confine(layout: SandboxLayout): Confinement;
  /** Gives back what the jail claimed (a private uid). */
  release(): Promise<void>;
}

/** Opens the jail of one submission: with `sandbox`, a private uid when the grader is root. */
export async function openJail(sandbox: boolean): Promise<Jail> {
  if (!sandbox) {
    const user = await programUser();
    return { sandboxed: false, owner: user, confine: () => processGroupConfinement(user), release: async () => {} };
  }
  if (process.getuid?.() === 0) {
    const claim = await claimPrivateUser();
    const cgroup = await createSubmissionCgroup();
    const identity = { uid: claim.uid, gid: claim.gid, privileged: true };
    return {
      sandboxed: true,
      owner: identity,
      confine: (layout) => sandboxConfinement(layout, identity, cgroup),
      async release() {
        await cgroup?.remove();
        await claim.release();
      },
    };
  }
  const identity = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, privileged: false };
  return { sandboxed: true, owner: undefined, confine: (layout) => sandboxConfinement(layout, identity), release: async () => {} };
}
