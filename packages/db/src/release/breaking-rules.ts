import { rules } from '../lint/rules.js';

const breakingNames = new Set(
  Object.values(rules)
    .filter((r) => r.breaking)
    .map((r) => r.name),
);

/** The rules among a migration's lint findings that make it breaking (an error is not always breaking). */
export const breakingRulesOf = (findings: { rule: string }[]): string[] => [
  ...new Set(findings.map((f) => f.rule).filter((name) => breakingNames.has(name))),
];
