/**
 * PGlite folders the test process holds open for its assertions. Opening one
 * costs about half a second of CPU, so a test's consecutive queries share one
 * open; but a folder must never be open in two processes, so every jam-db run
 * a test starts closes them first (`runCli` does; a test that spawns jam-db
 * itself calls `closeHeldPglites`).
 */
const held = new Set<() => Promise<void>>();

export function holdPglite(close: () => Promise<void>): void {
  held.add(close);
}

export function releasePglite(close: () => Promise<void>): void {
  held.delete(close);
}

export async function closeHeldPglites(): Promise<void> {
  const closes = [...held];
  held.clear();
  await Promise.all(closes.map((close) => close()));
}
