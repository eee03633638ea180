#!/usr/bin/env node
// netgrade runs as JavaScript bundled from its TypeScript (built into a cache on first use).
import { harnessModule } from '../harness/build/bundle-harness.js';

process.setSourceMapsEnabled(true);
// Descriptors this process was started with would reach every student program.
const { closeInheritedDescriptors } = await import(await harnessModule('inherited-descriptors'));
closeInheritedDescriptors();
// Ctrl+C: exit through process.exit so the grader's exit hook stops every student program.
// `on`, not `once`: a second Ctrl+C must not cut that clean-up short.
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
// Output piped into a command that stopped reading (`grade ... | head`): stop quietly, cleaning up.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(1);
    throw error;
  });
}
const { main } = await import(await harnessModule('main'));
process.exitCode = await main(process.argv.slice(2));
