// The API for plain Node (`import { mockHttp } from 'netgrade'` in a course's own script): the
// harness bundle's index module, built into the cache on first use as the CLI's is. ES modules
// cannot re-export what a dynamic import gives, so the names are listed; a test holds the list
// to harness/index.ts.
import { harnessModule } from '../harness/build/bundle-harness.js';

const api = await import(await harnessModule('index'));

export const {
  defineExercise,
  eachCase,
  COMPILES_CHECK_ID,
  fail,
  expectBytes,
  countBytes,
  describeBytes,
  diffBytes,
  parsePythonLiteral,
  CheckFailure,
  isCheckFailure,
  send,
  reply,
  expectLine,
  expectUntil,
  expectSilence,
  pause,
  end,
  reset,
  expectNoUncaughtException,
  classifyErrorOutput,
  expectHandledFailure,
  expectSurvives,
  mockHttp,
  expectOneRequest,
  expectRequests,
} = api;
