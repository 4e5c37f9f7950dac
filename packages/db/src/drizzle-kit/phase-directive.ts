/**
 * The `-- jam-db:phase expand|contract <expand-tag>` line of a migration file.
 * An expand migration is safe while the previous app version runs; its
 * contract migration completes it once every app instance runs the new code,
 * so the runner holds contracts back, and `status`, `lint` and `release-check`
 * tell the two apart. Unmarked migrations have no phase.
 */
export type MigrationPhase =
  | { kind: 'expand' }
  /** `expands`: the tag of the expand migration this one completes. */
  | { kind: 'contract'; expands: string };

/** A phase line jam-db cannot act on: what is wrong, where, and what to write instead. */
export interface PhaseProblem {
  /** 1-based line of the directive in the file. */
  line: number;
  /** What is wrong; the reader adds the file and line. */
  message: string;
  hint: string;
}

export interface PhaseDirective {
  phase: MigrationPhase | null;
  problem: PhaseProblem | null;
}

export const phaseDirective = '-- jam-db:phase';
const directiveSyntax = `"${phaseDirective} expand" or "${phaseDirective} contract <tag of the expand migration>"`;

// `phase\S*` so that a misspelt `jam-db:phases` is reported rather than ignored.
const directiveLine = /^\s*--\s*jam-db:(phase\S*)(.*)$/;

/** Reads the phase line of one migration file. */
export function readPhaseDirective(sql: string): PhaseDirective {
  const found = sql
    .split(/\r?\n/)
    .map((text, index) => ({ text, line: index + 1, match: directiveLine.exec(text) }))
    .filter((l) => l.match !== null);
  if (found.length === 0) return { phase: null, problem: null };
  const problem = (line: number, message: string, hint: string): PhaseDirective => ({
    phase: null,
    problem: { line, message, hint },
  });
  if (found.length > 1) {
    return problem(
      found[1]!.line,
      `a second phase line (the first is line ${found[0]!.line}); a migration has one phase.`,
      `Keep one line, ${directiveSyntax}; a change with both phases is two migrations.`,
    );
  }
  const { line, match } = found[0]!;
  const [, word, rest] = match!;
  const quoted = `"${found[0]!.text.trim()}"`;
  if (word !== 'phase') {
    return problem(line, `${quoted} is not a directive jam-db knows.`, `Write ${directiveSyntax}.`);
  }
  const [kind, ...names] = rest!.trim().split(/\s+/).filter(Boolean);
  if (kind === 'expand') {
    if (names.length === 0) return { phase: { kind: 'expand' }, problem: null };
    return problem(
      line,
      `${quoted}: an expand migration names nothing after "expand".`,
      `Write "${phaseDirective} expand" and put any note on a comment line of its own.`,
    );
  }
  if (kind === 'contract') {
    if (names.length === 1)
      return { phase: { kind: 'contract', expands: names[0]! }, problem: null };
    return problem(
      line,
      names.length === 0
        ? `${quoted} does not say which expand migration it contracts.`
        : `${quoted}: a contract names exactly one expand migration, not ${names.length} words.`,
      `Write "${phaseDirective} contract <tag of the expand migration>", e.g. "${phaseDirective} contract 0006_expand_name"; put any note on a comment line of its own.`,
    );
  }
  return problem(
    line,
    kind === undefined
      ? `${quoted} names no phase.`
      : `${quoted}: the phase is expand or contract, not "${kind}".`,
    `Write ${directiveSyntax}.`,
  );
}

interface Phased {
  tag: string;
  sql: string;
  phase?: MigrationPhase | null | undefined;
  phaseProblem?: PhaseProblem | null | undefined;
}

/**
 * Checks every contract against the folder: it must name an earlier migration
 * that is not itself a contract. A migration a contract names counts as its
 * expand even without its own phase line, so an expand applied before it was
 * marked needs no edit (which would change its hash). Returns the migrations
 * with problems and implied expands filled in.
 */
export function resolvePhases<M extends Phased>(migrations: M[]): M[] {
  const position = new Map(migrations.map((m, index) => [m.tag, index]));
  const named = new Set<string>();
  const checked = migrations.map((migration, index) => {
    const phase = migration.phase;
    if (phase?.kind !== 'contract') return migration;
    const expandAt = position.get(phase.expands);
    const expand = expandAt === undefined ? undefined : migrations[expandAt]!;
    const line = directiveLineIn(migration.sql);
    const fail = (message: string, hint: string): M => ({
      ...migration,
      phase: null,
      phaseProblem: { line, message, hint },
    });
    const earlierExpands = migrations
      .slice(0, index)
      .filter((m) => m.phase?.kind === 'expand')
      .map((m) => m.tag);
    const candidates =
      earlierExpands.length > 0
        ? `Earlier expand migrations: ${earlierExpands.join(', ')}.`
        : 'No earlier migration is marked expand.';
    if (expand === undefined) {
      return fail(
        `${migration.tag} contracts ${phase.expands}, which is not a migration of this folder.`,
        `Name the expand migration by its full tag. ${candidates}`,
      );
    }
    if (expandAt! >= index) {
      return fail(
        `${migration.tag} contracts ${phase.expands}, which ${expandAt === index ? 'is itself' : 'comes after it'}; a contract completes an earlier expand migration.`,
        `Name the expand migration it completes. ${candidates}`,
      );
    }
    if (expand.phase?.kind === 'contract') {
      return fail(
        `${migration.tag} contracts ${phase.expands}, which is itself a contract migration.`,
        `Name the expand migration that ${phase.expands} completes (${expand.phase.expands}), or the expand this one completes. ${candidates}`,
      );
    }
    named.add(expand.tag);
    return migration;
  });
  return checked.map((m) =>
    named.has(m.tag) && !m.phase && !m.phaseProblem ? { ...m, phase: { kind: 'expand' } } : m,
  );
}

const directiveLineIn = (sql: string): number =>
  sql.split(/\r?\n/).findIndex((text) => directiveLine.test(text)) + 1;
