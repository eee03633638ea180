/** A fingerprint of `paths` (files or folders, missing ones included) from their metadata; `settled` is false when any changed too recently to trust it. */
export function fingerprintFiles(paths: readonly string[]): Promise<{ key: string; settled: boolean }>;
