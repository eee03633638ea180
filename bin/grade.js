#!/usr/bin/env node
// Exercises are TypeScript files loaded at run time, so the grader runs under tsx's loader.
import { register } from 'tsx/esm/api';

register();
// Ctrl+C: exit through process.exit so the grader's exit hook stops every student program.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
