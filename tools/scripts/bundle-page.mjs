#!/usr/bin/env node
// Bundles a browser page's entry scripts (`<entry>.ts`, with every import)
// into one script each beside the page's other files, and copies the files
// its `vendor.json` names from installed packages, so that the browser loads
// nothing from outside the service:
// `node tools/scripts/bundle-page.mjs <src> <out> <entry> [<entry> ...]`.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const [source, out, ...entries] = process.argv.slice(2);
if (!source || !out || entries.length === 0) {
  console.error('usage: bundle-page.mjs <page folder> <output folder> <entry> [<entry> ...]');
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: entries.map((entry) => join(source, `${entry}.ts`)),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outdir: out,
  logLevel: 'warning',
});
for (const name of readdirSync(source)) {
  if (!name.endsWith('.ts') && name !== 'vendor.json') cpSync(join(source, name), join(out, name));
}
const manifest = join(source, 'vendor.json');
if (existsSync(manifest)) {
  const require = createRequire(resolve(source, 'vendor.json'));
  mkdirSync(join(out, 'vendor'), { recursive: true });
  for (const [name, file] of Object.entries(JSON.parse(readFileSync(manifest, 'utf8')))) {
    cpSync(require.resolve(file), join(out, 'vendor', name));
  }
}
