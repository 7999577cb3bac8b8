import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/stores/meta/schema.ts',
  out: './migrations/meta',
});
