import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { PROGRAM_PATH } from '../process/child-env.ts';

/** Whether a command is installed where the grader and its sandboxes look for it. */
export function isInstalled(tool: string): boolean {
  return PROGRAM_PATH.split(':').some((dir) => {
    try {
      accessSync(path.join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
