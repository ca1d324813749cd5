// node:fs with globSync for "**/<file name>" patterns under options.cwd (see node20-fs.mjs).
import fs from "node:fs";
import path from "node:path";

export * from "node:fs";
export default fs;

export function globSync(pattern, options = {}) {
  const match = /^\*\*\/([^*?[\]{}/]+)$/.exec(pattern);
  if (!match) {
    throw new Error(`globSync: only "**/<name>" patterns are supported on Node.js ${process.version}`);
  }
  const cwd = options.cwd ?? process.cwd();
  return fs.readdirSync(cwd, { recursive: true }).map(String).filter((file) => path.basename(file) === match[1]);
}
