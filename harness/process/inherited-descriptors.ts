import { closeSync, readdirSync, readFileSync } from 'node:fs';
import { hasProcfs } from './proc.ts';

// O_CLOEXEC as /proc/<pid>/fdinfo prints it (octal flags), on every Linux architecture Node runs on.
const CLOSE_ON_EXEC = 0o2000000;

/**
 * Closes every descriptor beyond stdin, stdout and stderr that this process inherited (a file
 * or terminal its caller left open, a CI runner's pipe): they would pass on to every program it
 * starts, sandbox or not. Node's own descriptors are close-on-exec, and stay.
 */
export function closeInheritedDescriptors(): void {
  if (!hasProcfs) return;
  for (const name of readdirSync('/proc/self/fd')) {
    const fd = Number(name);
    if (fd <= 2) continue;
    try {
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
      if (flags !== undefined && (Number.parseInt(flags, 8) & CLOSE_ON_EXEC) === 0) closeSync(fd);
    } catch {
      // closed meanwhile (the listing's own descriptor)
    }
  }
}
