import { describe, expect, it } from 'vitest';
import { acceptsApplications } from '../src/programs/applications-open.js';
import { closedReason, isQuestOpen } from '../src/quests/quest-window.js';

const now = new Date('2026-06-15T12:00:00.000Z');
const program = {
  applicationUrl: 'https://jam.example/apply',
  status: 'active' as const,
  endsAt: '2035-12-21T00:00:00.000Z',
};

describe('acceptsApplications', () => {
  it('offers "Apply" for a running or announced program that has not ended', () => {
    expect(acceptsApplications(program, now)).toBe(true);
    expect(acceptsApplications({ ...program, status: 'published' }, now)).toBe(true);
    expect(acceptsApplications({ ...program, endsAt: null }, now)).toBe(true);
  });

  it('offers nothing for a completed or archived program, even with its old link', () => {
    expect(acceptsApplications({ ...program, status: 'completed' }, now)).toBe(false);
    expect(acceptsApplications({ ...program, status: 'archived' }, now)).toBe(false);
  });

  it('offers nothing for a draft, a program that has ended, or one without a link', () => {
    expect(acceptsApplications({ ...program, status: 'draft' }, now)).toBe(false);
    expect(acceptsApplications({ ...program, endsAt: '2024-07-29T00:00:00.000Z' }, now)).toBe(
      false,
    );
    expect(acceptsApplications({ ...program, applicationUrl: null }, now)).toBe(false);
  });
});

describe('isQuestOpen and closedReason', () => {
  const window = { availableFrom: '2025-01-06T00:00:00.000Z', dueDate: '2035-12-14T00:00:00.000Z' };

  it('is open between its bounds, and a missing bound leaves that side open', () => {
    expect(isQuestOpen(window, now)).toBe(true);
    expect(isQuestOpen({ availableFrom: null, dueDate: null }, now)).toBe(true);
    expect(closedReason(window, now)).toBeNull();
  });

  it('says when a quest not yet open opens', () => {
    const later = {
      availableFrom: '2031-03-03T00:00:00.000Z',
      dueDate: '2031-04-21T00:00:00.000Z',
    };
    expect(isQuestOpen(later, now)).toBe(false);
    expect(closedReason(later, now)).toBe('Opens on 3 Mar 2031');
  });

  it('says when a past quest closed', () => {
    const past = { availableFrom: '2024-07-01T00:00:00.000Z', dueDate: '2024-07-26T00:00:00.000Z' };
    expect(closedReason(past, now)).toBe('Closed on 26 Jul 2024');
  });
});
