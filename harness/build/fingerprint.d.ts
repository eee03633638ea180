/** A fingerprint of `paths` (files or folders, missing ones included) from their metadata; `settled` is false when any changed too recently to trust it. */
export function fingerprintFiles(paths: readonly string[]): Promise<{ key: string; settled: boolean }>;
/** The output `record` names, if it is there and nothing it was made from has changed since. */
export function reuseCompiled(record: string): Promise<string | undefined>;
/** Records that `output` was made from `inputs` (absolute paths), unless one changed too recently to tell. */
export function recordCompiled(record: string, output: string, inputs: readonly string[]): Promise<void>;
