/** The folder netgrade keeps what it compiles in. */
export function cacheDir(): Promise<string>;
/** This user's cache folder in `parent` (a temporary folder anyone may write to), made if need be; refuses one another user could write. */
export function privateCacheIn(parent: string): Promise<string>;
/** Puts what `make(dir)` writes into a fresh folder at `target`, unless `target` is there already. */
export function makeOnce(target: string, make: (dir: string) => Promise<void>): Promise<void>;
/** Writes `contents` at `file` unless it is there. */
export function writeOnce(file: string, contents: string | Uint8Array): Promise<void>;
