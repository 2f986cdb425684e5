import { defineConfig } from 'drizzle-kit';

/** `npx drizzle-kit generate --config libs/persistence/drizzle.config.ts` writes a new migration. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './libs/persistence/src/schema.ts',
  out: './libs/persistence/migrations',
  casing: 'snake_case',
});
