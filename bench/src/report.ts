import { cpus, release, totalmem, type } from 'node:os';

export type Contender = 'jam-db' | 'psql floor' | 'drizzle-kit' | 'PGlite floor';
export const contenderColumns: Contender[] = [
  'jam-db',
  'psql floor',
  'drizzle-kit',
  'PGlite floor',
];

export interface Scenario {
  id: 'pg-fresh' | 'pg-noop' | 'pglite-fresh';
  title: string;
  contenders: Contender[];
  /** jam-db's median must stay within `target` × this contender's median. */
  baseline: Contender;
  target: number;
}

export const scenarios: Scenario[] = [
  {
    id: 'pg-fresh',
    title: 'PostgreSQL fresh apply',
    contenders: ['jam-db', 'psql floor', 'drizzle-kit'],
    baseline: 'psql floor',
    target: 1.25,
  },
  {
    id: 'pg-noop',
    title: 'PostgreSQL no-op migrate',
    contenders: ['jam-db', 'drizzle-kit'],
    baseline: 'drizzle-kit',
    target: 0.35,
  },
  {
    id: 'pglite-fresh',
    title: 'PGlite fresh apply',
    contenders: ['jam-db', 'PGlite floor'],
    baseline: 'PGlite floor',
    target: 1.25,
  },
];

/** Wall times in ms, keyed by scenario and contender, one entry per iteration. */
export class Samples {
  private readonly byKey = new Map<string, number[]>();

  add(scenario: Scenario['id'], contender: Contender, ms: number): void {
    const key = `${scenario}/${contender}`;
    this.byKey.set(key, [...(this.byKey.get(key) ?? []), ms]);
  }

  merge(other: Samples): void {
    for (const [key, values] of other.byKey) {
      this.byKey.set(key, [...(this.byKey.get(key) ?? []), ...values]);
    }
  }

  of(scenario: Scenario['id'], contender: Contender): number[] {
    return this.byKey.get(`${scenario}/${contender}`) ?? [];
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface Verdict {
  scenario: Scenario;
  ratio: number;
  pass: boolean;
}

export const verdicts = (samples: Samples): Verdict[] =>
  scenarios.map((scenario) => {
    const ratio =
      median(samples.of(scenario.id, 'jam-db')) /
      median(samples.of(scenario.id, scenario.baseline));
    return { scenario, ratio, pass: ratio <= scenario.target };
  });

export function resultsTable(samples: Samples): string {
  const header = `| Scenario | ${contenderColumns.map((c) => `${c} (ms)`).join(' | ')} | jam-db ÷ baseline | Target | Result |`;
  const rule = `|---|${contenderColumns.map(() => '---:').join('|')}|---:|---|---|`;
  const rows = verdicts(samples).map(({ scenario, ratio, pass }) => {
    const cells = contenderColumns.map((c) =>
      scenario.contenders.includes(c) ? Math.round(median(samples.of(scenario.id, c))) : '—',
    );
    return `| ${scenario.title} | ${cells.join(' | ')} | ${ratio.toFixed(2)}× | ≤ ${scenario.target}× ${scenario.baseline} | ${pass ? 'PASS' : 'MISS'} |`;
  });
  return [header, rule, ...rows].join('\n');
}

export function samplesTable(samples: Samples): string {
  const rows = scenarios.flatMap((scenario) =>
    scenario.contenders.map((c) => {
      const values = samples.of(scenario.id, c);
      return `| ${scenario.title} | ${c} | ${values.map((v) => Math.round(v)).join(', ')} | ${Math.round(Math.min(...values))} | ${Math.round(Math.max(...values))} |`;
    }),
  );
  return [
    '| Scenario | Contender | Samples in run order (ms) | Min | Max |',
    '|---|---|---|---:|---:|',
    ...rows,
  ].join('\n');
}

export interface RunFacts {
  migrations: number;
  statements: number;
  iterations: number;
  postgresVersion: string;
  verification: string[];
}

export function resultsDocument(samples: Samples, facts: RunFacts): string {
  const cpu = cpus();
  return `# Migration benchmark results

Written by \`pnpm --filter @jam/bench bench\`; see README.md for what each scenario means.

- Date: ${new Date().toISOString()}
- Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${type()} ${release()}
- Node ${process.version}, PostgreSQL ${facts.postgresVersion}, PGlite 0.5.14, drizzle-kit 0.31.11
- History: ${facts.migrations} synthetic migrations, ${facts.statements} statements
- Iterations: ${facts.iterations}, contenders interleaved in rotating order; medians reported

${resultsTable(samples)}

## Correctness (checked once before timing)

${facts.verification.map((line) => `- ${line}`).join('\n')}

## All samples

${samplesTable(samples)}
`;
}
