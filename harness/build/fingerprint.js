// Telling that files are unchanged without reading them, as git's index does: a file written,
// moved or replaced in any way gets a new change time (ctime), which no program can set back.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';

// A file changed again within the file system's timestamp granularity could keep its ctime; a
// fingerprint taken that soon after a change is not trusted (git calls these entries "racy").
const SETTLE_NS = 2_000_000_000n;

/**
 * A fingerprint of `paths` (files or folders, missing ones included) from what the kernel knows
 * of them; `settled` is false when any changed too recently for it to be kept.
 */
export async function fingerprintFiles(paths) {
  const hash = createHash('sha256');
  const now = BigInt(Date.now()) * 1_000_000n;
  let settled = true;
  const stats = await Promise.all(paths.map((file) => stat(file, { bigint: true }).catch(() => undefined)));
  paths.forEach((file, index) => {
    const info = stats[index];
    if (info && now - info.ctimeNs < SETTLE_NS) settled = false;
    hash.update(`${file}\0${info ? `${info.dev}:${info.ino}:${info.mode}:${info.size}:${info.mtimeNs}:${info.ctimeNs}` : '-'}\0`);
  });
  return { key: hash.digest('hex').slice(0, 32), settled };
}
