// One order for students (and exercises) in every report: as a person sorts names (case and
// accents aside, numbers by value: s2 before s10), the same on every machine, and total, so two
// ids never tie.
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Compares two ids for every report's order. */
export function compareIds(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Results ordered by student, then exercise. */
export function byStudentThenExercise(a: { student: string; exercise: string }, b: { student: string; exercise: string }): number {
  return compareIds(a.student, b.student) || compareIds(a.exercise, b.exercise);
}
