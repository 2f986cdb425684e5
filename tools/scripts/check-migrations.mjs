#!/usr/bin/env node
// Fails when libs/persistence/src/schema.ts has changes that no committed
// migration holds: drizzle-kit generates into a scratch copy of the
// migrations folder, and any new file there means a migration is missing.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.cwd();
const committed = join(root, 'libs/persistence/migrations');
// drizzle-kit reads `out` relative to the working directory, so the scratch copy lives under tmp/.
mkdirSync(join(root, 'tmp'), { recursive: true });
const scratch = mkdtempSync(join(root, 'tmp/migrations-check-'));
try {
  cpSync(committed, join(scratch, 'migrations'), { recursive: true });
  const config = join(scratch, 'drizzle.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      dialect: 'postgresql',
      schema: 'libs/persistence/src/schema.ts',
      out: relative(root, join(scratch, 'migrations')),
      casing: 'snake_case',
    }),
  );
  const run = spawnSync('npx', ['drizzle-kit', 'generate', '--config', config], {
    cwd: root,
    encoding: 'utf8',
  });
  if (
    run.status !== 0 ||
    /error/i.test(run.stderr) ||
    !/No schema changes|migration file/.test(run.stdout)
  ) {
    process.stderr.write(run.stdout + run.stderr);
    process.exitCode = 1;
  } else {
    const before = readdirSync(committed).filter((f) => f.endsWith('.sql'));
    const after = readdirSync(join(scratch, 'migrations')).filter((f) => f.endsWith('.sql'));
    const added = after.filter((f) => !before.includes(f));
    if (added.length > 0) {
      console.error(
        `The schema has changes no committed migration holds. Run:\n  npx drizzle-kit generate --config libs/persistence/drizzle.config.ts\nand commit the new migration (would add ${added.join(', ')}).`,
      );
      process.exitCode = 1;
    } else {
      console.log('Migrations are up to date with the schema.');
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
