// The API for exercise authors: everything an `exercises/<id>/exercise.ts` file imports.
export { defineExercise, eachCase, COMPILES_CHECK_ID } from './exercise/define.ts';
export type { CheckContext, CheckSpec, CheckTableSpec, Exercise, ExerciseSpec, SubmissionAccess } from './exercise/types.ts';
export { fail, expectBytes } from './assert/expect.ts';
export { countBytes, describeBytes, diffBytes } from './assert/bytes.ts';
export { parsePythonLiteral } from './assert/python-literal.ts';
export { CheckFailure, isCheckFailure } from './errors.ts';
export type { Hint, LanguageId } from './language/language.ts';
export type { Program, LaunchOptions, ListeningAddress } from './process/program.ts';
// What a Program's `exit` and `stdout`/`stderr` are: `${program.exit}` is an object; write `program.exit?.description`.
export type { ProgramExit } from './process/exit.ts';
export type { CappedOutput } from './process/output.ts';
export type { TcpConnection, TcpTarget, ReadResult, ConnectOptions } from './probes/tcp-client.ts';
export type { ReadOptions } from './probes/inbox.ts';
export type { HttpRequestOptions, HttpResponse } from './probes/http-client.ts';
export type { OriginServer, OriginReply, OriginRequest, OriginRoute } from './probes/http-origin.ts';
export type { UdpClient } from './probes/udp-client.ts';
export type { UdpReferenceServer, UdpPlan, UdpAnswer, UdpArrival, UdpRecord } from './probes/udp-server.ts';
export type { Random } from './run/random.ts';
export { send, reply, expectLine, expectUntil, expectSilence, pause, end, reset, type ServerStep, type SendOptions } from './probes/server-script.ts';
export type { ReferenceServer, ServerConnection, ServeOptions } from './probes/tcp-server.ts';
export { expectNoUncaughtException, classifyErrorOutput } from './assert/uncaught.ts';
export { expectHandledFailure } from './assert/handled-failure.ts';
export { expectSurvives } from './assert/survives.ts';
export { mockHttp } from './probes/http-mock/mock.ts';
export type { HttpMock, HttpReply, HttpRequestRecord } from './probes/http-mock/types.ts';
export { expectOneRequest, expectRequests } from './assert/http.ts';
