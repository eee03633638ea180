/** FNV-1a: a fast, stable 32-bit hash of a string, for seeds and shard assignment (not for security). */
export function hashString(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}
