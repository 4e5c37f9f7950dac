// The PGlite floor: open a fresh folder, run the whole history as one transaction, close.
// Plain JavaScript so that, like the built jam-db CLI, it pays no transpiler start-up.
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

const [dataDir, sqlPath] = process.argv.slice(2);
if (!dataDir || !sqlPath) {
  console.error('usage: node pglite-floor.mjs <data dir> <sql file>');
  process.exit(2);
}
const db = await PGlite.create(dataDir);
await db.exec(`BEGIN;\n${readFileSync(sqlPath, 'utf8')}\nCOMMIT;`);
await db.close();
