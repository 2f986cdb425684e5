#!/usr/bin/env node
// Bundles a browser page (its TypeScript entry `main.ts`, with every import)
// into one script beside the page's other files, so that the browser loads
// nothing from outside the service: `node tools/scripts/bundle-page.mjs <src> <out>`.
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const [source, out] = process.argv.slice(2);
if (!source || !out) {
  console.error('usage: bundle-page.mjs <page folder> <output folder>');
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(source, 'main.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: join(out, 'main.js'),
  logLevel: 'warning',
});
for (const name of readdirSync(source)) {
  if (!name.endsWith('.ts')) cpSync(join(source, name), join(out, name));
}
