/**
 * Things an exiting grader must still undo (after Ctrl+C, a CI time limit, a closed output pipe):
 * add an item while it is live, delete it once undone; whatever is left is undone synchronously
 * when the process exits. An undo that fails (already gone, or not possible yet) is skipped.
 */
export function undoOnExit<T>(undo: (item: T) => void): Set<T> {
  const live = new Set<T>();
  process.once('exit', () => {
    for (const item of live) {
      try {
        undo(item);
      } catch {
        // already gone, or not possible yet
      }
    }
  });
  return live;
}
