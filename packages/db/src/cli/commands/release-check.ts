import { JamDbError } from '../../errors.js';
import { checkRelease } from '../../release/release-check.js';
import { findRepoRoot, userCwd } from '../../target/target.js';
import { defineCommand } from '../command.js';

export const releaseCheck = defineCommand({
  name: 'release-check',
  summary: 'changeset bump covers the new migrations (pnpm release:check)',
  options: { since: { kind: 'text', value: '<ref>' } },
  async run({ args, out }) {
    const root = findRepoRoot(userCwd());
    if (!root) {
      throw new JamDbError(
        'usage',
        `release:check runs inside the monorepo; ${userCwd()} is not in one.`,
      );
    }
    const check = await checkRelease(root, args.values.since ?? 'main');
    if (args.json) {
      out.document(check);
      return check.ok ? 0 : 1;
    }
    if (!check.ok) throw new JamDbError('release-check', check.problem!);
    if (check.required === null) {
      out.line(
        `release:check: no change to @jam/db's schema or migrations since ${check.baseDescription}.`,
      );
    } else {
      const migrations = check.newMigrations
        .map((m) => {
          const phase =
            m.phase === 'contract' ? `, contract of ${m.contracts}` : m.phase ? `, ${m.phase}` : '';
          return `${m.tag} (${m.classification}${phase})`;
        })
        .join(', ');
      out.line(
        `release:check: @jam/db changed since ${check.baseDescription}${migrations ? `; new migrations: ${migrations}` : ''}. Needs ${check.required}, changesets give ${check.given}: OK.`,
      );
    }
    return 0;
  },
});
