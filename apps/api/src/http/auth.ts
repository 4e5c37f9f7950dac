import { apiTokens, hashApiToken, type JamDatabase, users } from '@jam/db';
import type { User } from '@jam/db/types';
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { ApiError, forbidden } from '../errors.js';

/** Who is calling: enough to decide what they may do, never their token. */
export type Caller = Pick<User, 'id' | 'name' | 'email' | 'role'>;

export interface AuthEnv {
  Variables: { caller: Caller };
}

const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);

/**
 * `Authorization: Bearer <token>`: the token is hashed and looked up by its hash,
 * the only form the database holds. 401 without a token or with one that is
 * unknown or expired.
 */
export const requireCaller = (db: JamDatabase, now: () => Date) =>
  createMiddleware<AuthEnv>(async (c, next) => {
    // What a signed-in caller sees is theirs alone: no browser or proxy may keep a copy.
    c.header('Cache-Control', 'no-store');
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer');
      throw unauthorized('Sign in: send `Authorization: Bearer <token>` with an API token.');
    }
    const [caller] = await db
      .select({ id: users.id, name: users.name, email: users.email, role: users.role })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(
        and(
          eq(apiTokens.tokenHash, hashApiToken(match[1]!)),
          or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now())),
        ),
      )
      .limit(1);
    if (!caller) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw unauthorized('This API token is unknown or has expired.');
    }
    c.set('caller', caller);
    await next();
  });

/** Quests are for participants: `action` says what the caller tried, e.g. "take quests". */
export function requireParticipant(caller: Caller, action: string): void {
  if (caller.role !== 'participant') {
    throw forbidden(`Only participants ${action}; you are signed in as ${caller.role}.`);
  }
}
