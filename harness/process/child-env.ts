/**
 * The environment a student's program sees: enough to run, nothing of the grader's own
 * (no NODE_OPTIONS, no test-runner variables, no colours).
 */
export function makeChildEnv(home: string, extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    ...extra,
  };
}
