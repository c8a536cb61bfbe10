#!/usr/bin/env node
// `npm run build`: compiles lib/ to dist/ (the same layout, .js files, assets copied) so the CLI
// starts without compiling TypeScript on every run. bin/handoff.js uses dist/ only while it
// matches lib/ (bin/compiled.js); without it, or when stale, the sources run through tsx.
import { cpSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { distDir, libDir, root, sourceStamp, stampFile } from './compiled.js';

const stamp = sourceStamp();
const entries = readdirSync(libDir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
const sources = entries.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
const staging = `${distDir}.building-${process.pid}`;

const result = await build({
  entryPoints: sources,
  outdir: staging,
  outbase: libDir,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  write: false,
  logLevel: 'warning',
  absWorkingDir: root,
});
// Relative imports name the .ts files; the compiled ones are .js.
const TS_IMPORT = /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"\n]+?)\.ts\2/g;
for (const file of result.outputFiles) {
  mkdirSync(path.dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.text.replace(TS_IMPORT, '$1$2$3.js$2'));
}
// Assets next to the code (dashboard pages, fonts, seeds) are found relative to it.
for (const file of entries.filter((f) => !f.endsWith('.ts'))) cpSync(file, path.join(staging, path.relative(libDir, file)));
writeFileSync(path.join(staging, path.basename(stampFile)), `${JSON.stringify(stamp)}\n`);
rmSync(distDir, { recursive: true, force: true });
renameSync(staging, distDir);
console.log(`compiled ${sources.length} files into ${path.relative(process.cwd(), distDir) || distDir}`);
