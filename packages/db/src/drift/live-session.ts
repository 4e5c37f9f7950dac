import { openMigrationSession } from '../engines/migration-session.js';
import { openSession } from '../engines/open-session.js';
import type { Session } from '../engines/session.js';
import type { Target } from '../target/target.js';

/** How `check` and `baseline` connect: the waits they honour and where notices go. */
export interface LiveSessionOptions {
  target: Target;
  purpose: string;
  lockWaitMs: number;
  connectTimeoutMs: number;
  onNotice: (line: string) => void;
}

/** The options every session of `check` and `baseline` opens with. */
function sessionOptions(options: LiveSessionOptions) {
  return {
    purpose: options.purpose,
    connectTimeoutMs: options.connectTimeoutMs,
    folderLockTimeoutMs: options.lockWaitMs,
    onNotice: options.onNotice,
  };
}

/** One connection to the database of DATABASE_URL, for a command that reads or adopts it. */
export function openLiveSession(options: LiveSessionOptions): Promise<Session> {
  return openSession(options.target, sessionOptions(options));
}

/**
 * The connection `baseline` records migrations on under the migration lock: a
 * direct one, as for `migrate` (see openMigrationSession).
 */
export function openLockingSession(options: LiveSessionOptions): Promise<Session> {
  return openMigrationSession(options.target, sessionOptions(options));
}
