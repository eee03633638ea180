#!/usr/bin/env node
// Grades one submission for `grade`, inside the submission's own network namespace.
import { register } from 'tsx/esm/api';

register();
// Stopped by the parent: exit through process.exit so every student program is stopped too.
process.once('SIGTERM', () => process.exit(143));
const { runWorker } = await import('../harness/run/worker.ts');
await runWorker(process.argv[2] ?? '{}');
