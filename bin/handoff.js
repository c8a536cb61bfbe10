#!/usr/bin/env node
// The `handoff` command. It runs the compiled copy of lib/ in dist/ when that matches the
// sources (`npm run build` makes it), else the TypeScript sources through tsx: no build step is
// needed, a build only makes starting faster.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledEntry, root } from './compiled.js';

/** In an installed package the sources never change, so the compiled copy is used unchecked. */
function entry() {
  const compiled = path.join(root, 'dist', 'cli', 'main.js');
  if (!existsSync(path.join(root, '.git'))) return existsSync(compiled) ? compiled : undefined;
  return compiledEntry();
}

let main;
const compiled = entry();
if (compiled) {
  ({ main } = await import(pathToFileURL(compiled).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../lib/cli/main.ts'));
}
process.exitCode = await main(process.argv);
// A finished command ends the process even when a client library left timers behind (the ftrack
// client keeps a 30 s timer for every event-hub reply); the unref'd timer never holds it up itself.
setTimeout(() => process.exit(), 1000).unref();
