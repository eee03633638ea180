import { mkdirSync, unlinkSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { undoOnExit } from '../process/undo-on-exit.ts';

/** A uid (and gid) that no other submission on this machine has while this one is graded. */
export interface PrivateUser {
  uid: number;
  gid: number;
  release(): Promise<void>;
}

// Far above real users and the usual subordinate-uid ranges of containers (100000 + 65536 n).
const FIRST_UID = 1_500_000_000;
const LAST_UID = 1_999_999_999;
// Claims are files here, made with O_EXCL, so graders running at once (CI jobs, test workers) never share a uid.
const CLAIMS_DIR = '/run/netgrade/uids';

const claimed = undoOnExit(unlinkSync);

/**
 * Claims a uid for one submission (the grader must be root). Processes of one uid can signal,
 * trace and read each other; with a uid of its own, a submission can do that only to itself,
 * and the kernel's per-uid process limit counts its processes alone.
 */
export async function claimPrivateUser(): Promise<PrivateUser> {
  mkdirSync(CLAIMS_DIR, { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 100; attempt++) {
    const uid = randomInt(FIRST_UID, LAST_UID + 1);
    const file = path.join(CLAIMS_DIR, String(uid));
    const handle = await open(file, 'wx').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return undefined;
      throw error;
    });
    if (!handle) continue;
    await handle.close();
    claimed.add(file);
    return {
      uid,
      gid: uid,
      async release() {
        claimed.delete(file);
        await unlink(file).catch(() => undefined);
      },
    };
  }
  throw new Error(`No free uid in ${FIRST_UID}–${LAST_UID} after 100 tries; are stale claims filling ${CLAIMS_DIR}?`);
}
