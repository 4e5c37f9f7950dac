import { createHash } from 'node:crypto';
import { hashApiToken } from '../api-token.js';
import type { ApiToken, User } from '../types.js';
import { demoUsers } from './demo-data.js';
import { seedId } from './seed-ids.js';

/**
 * Development tokens for the demo users. They are derived from the email, so
 * every seeded database accepts the same tokens and the README can list them;
 * the database stores only their hashes, like any other token. Never seed a
 * database that faces the internet.
 */
export interface DemoToken {
  email: string;
  name: string;
  role: User['role'];
  token: string;
}

const tokenFor = (user: User): string => {
  const firstName = user.email.split('@')[0]!;
  const secret = createHash('sha256').update(`jam-demo-token:${user.email}`).digest('hex');
  return `jam_dev_${firstName}_${secret.slice(0, 24)}`;
};

export const demoTokens: DemoToken[] = demoUsers.map((user) => ({
  email: user.email,
  name: user.name,
  role: user.role,
  token: tokenFor(user),
}));

export const demoTokenRows: ApiToken[] = demoUsers.map((user, index) => ({
  id: seedId('apiToken', index),
  userId: user.id,
  label: 'demo',
  tokenHash: hashApiToken(tokenFor(user)),
  expiresAt: null,
  createdAt: user.createdAt,
}));
