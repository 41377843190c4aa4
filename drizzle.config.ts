import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` writes a new forward-only migration from src/storage/schema.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/storage/schema.ts',
  out: './src/storage/migrations',
});
