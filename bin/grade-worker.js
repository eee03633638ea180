#!/usr/bin/env node
// Grades one submission for `grade`, inside the submission's own network namespace.
import { harnessModule } from '../harness/build/bundle-harness.js';

process.setSourceMapsEnabled(true);
// Stopped by the parent, or by Ctrl+C on the terminal: exit through process.exit so every
// student program is stopped and every private copy deleted. `on`, not `once`: a second signal
// (the parent's and the terminal's) must not kill the worker in the middle of that clean-up.
process.on('SIGTERM', () => process.exit(143));
process.on('SIGINT', () => process.exit(130));
// A promise an exercise's check forgot to await, rejecting after its check was done: the check it
// came from has its result; the submission's other checks must still be graded (see run-check).
process.on('unhandledRejection', (reason) => console.error('netgrade: a promise rejected after its check had ended (a missing await in the exercise?):', reason));
// The grader passes the worker module of its own bundle; started by hand, find it.
const { runWorker } = await import(process.argv[3] ?? (await harnessModule('worker')));
await runWorker(process.argv[2] ?? '{}');
