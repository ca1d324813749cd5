// Node.js 20 lacks fs.globSync (Node 22+), which the conformance suite imports for its tier-check command's
// "**/checks.json" search; without it the suite does not even load. Registered with --import where it is missing,
// this hook hands the suite an "fs" that adds the one form that command uses ("**/<file name>" under a cwd); the
// server scenarios never call it. Everything else is node:fs itself.
import fs from "node:fs";
import { register } from "node:module";

if (typeof fs.globSync !== "function") {
  register("./node20-fs-hooks.mjs", import.meta.url);
}
