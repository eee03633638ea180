/** A banner that gives an ES module esbuild produces a `require`, for the CommonJS code in it. */
export const COMMONJS_SHIM: string;
