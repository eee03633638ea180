import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { undoOnExit } from '../process/undo-on-exit.ts';
import { compareIds } from '../report/order.ts';

/** One student's folder in a class folder. */
export interface StudentFolder {
  /** The student's id in every report: the folder's name, with bytes that are not UTF-8 shown as `\xe9`. */
  id: string;
  /** A path that reaches the folder (for a name that is not UTF-8, a link to it: see `reachable`). */
  dir: string;
  /** How the folder is shown in reports. */
  shownDir: string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The subfolders of a class folder, one per student, in report order; hidden folders and
 * `node_modules` are not students. Names are read as the bytes they are: a folder whose name is
 * not UTF-8 (an archive made on another system: Latin-1 `l\xe9a`) is a student like any other.
 */
export async function readStudentFolders(root: string): Promise<StudentFolder[]> {
  const entries = await readdir(root, { withFileTypes: true, encoding: 'buffer' });
  const folders: StudentFolder[] = [];
  const taken = new Set<string>();
  for (const entry of entries) {
    const name = entry.name;
    if (!entry.isDirectory() || name[0] === 0x2e || name.equals(NODE_MODULES)) continue;
    const text = decodeUtf8(name);
    let id = text ?? escapeInvalidUtf8(name);
    // An escaped name may read as another folder's real one (a folder named `l\xe9a`, backslash and all).
    while (taken.has(id)) id = `${id} (not UTF-8)`;
    taken.add(id);
    const shownDir = path.join(root, id);
    folders.push({ id, shownDir, dir: text === undefined ? await reachable(Buffer.concat([Buffer.from(`${root}/`), name])) : shownDir });
  }
  return folders.sort((a, b) => compareIds(a.id, b.id));
}

const NODE_MODULES = Buffer.from('node_modules');

/** The text of a name that is valid UTF-8, else undefined. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A name as text: valid UTF-8 sequences as they read, every other byte as `\xNN`. */
export function escapeInvalidUtf8(bytes: Uint8Array): string {
  let out = '';
  for (let at = 0; at < bytes.length; ) {
    const length = sequenceLength(bytes[at]!);
    const text = length === 0 ? undefined : decodeUtf8(bytes.subarray(at, at + length));
    if (text !== undefined && at + length <= bytes.length) {
      out += text;
      at += length;
    } else {
      out += `\\x${bytes[at]!.toString(16).padStart(2, '0')}`;
      at++;
    }
  }
  return out;
}

// The length a UTF-8 sequence announces in its first byte (0: a byte no sequence starts with).
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

// Node takes paths as strings and gives the file system their UTF-8: a name that is not UTF-8 can
// only be reached as bytes. The grader hands a submission's folder on as a string (to its
// worker, its sandboxes' mounts), so such a folder is reached through a link of a name that is
// UTF-8, in a folder of the grader's own that goes when it exits.
let aliases: string | undefined;
let made = 0;
const liveAliases = undoOnExit((dir: string) => rmSync(dir, { recursive: true, force: true }));

async function reachable(target: Buffer): Promise<string> {
  if (!aliases) {
    aliases = mkdtempSync(path.join(tmpdir(), 'netgrade-names-'));
    liveAliases.add(aliases);
    // Passable, as the class folder is: without a sandbox, programs run as nobody reach the student's node_modules through it.
    chmodSync(aliases, 0o711);
  }
  const link = path.join(aliases, String(++made));
  await symlink(target, link);
  return link;
}

/** Removes the links made to reach folders whose names are not UTF-8, once their gradings are done (else at exit). */
export function removeFolderAliases(): void {
  if (!aliases) return;
  rmSync(aliases, { recursive: true, force: true });
  liveAliases.delete(aliases);
  aliases = undefined;
}
