import type { CatalogState } from './catalog-state.js';

/*
 * The catalogs say which view reads which table only through pg_depend, which
 * a catalog state does not keep; a view's definition names what it reads, so
 * the order is found by name.
 */

const mentions = (definition: string, name: string) =>
  new RegExp(`(^|[^\\w$])"?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?($|[^\\w$])`, 'i').test(
    definition,
  );

/** Views that read one of `tables`, directly or through another view (by name in their definition). */
export function viewsReading(state: CatalogState, tables: Set<string>): string[] {
  const found = new Set<string>();
  let names = [...tables];
  while (names.length > 0) {
    const next: string[] = [];
    for (const [key, view] of state.views) {
      if (found.has(key) || !names.some((name) => mentions(view.definition, name))) continue;
      found.add(key);
      next.push(view.name);
    }
    names = next;
  }
  return [...found];
}

/** `keys` ordered so that a view comes before the views it reads (the order to drop them). */
export function dependentsFirst(state: CatalogState, keys: string[]): string[] {
  const pending = new Set(keys);
  const ordered: string[] = [];
  while (pending.size > 0) {
    // A view nothing else pending reads can go now.
    const free = [...pending].find(
      (key) =>
        ![...pending].some(
          (other) =>
            other !== key &&
            mentions(state.views.get(other)?.definition ?? '', state.views.get(key)!.name),
        ),
    );
    const key = free ?? [...pending][0]!;
    ordered.push(key);
    pending.delete(key);
  }
  return ordered;
}
