/**
 * What a person reads when a request fails. The API's codes and messages are
 * written for developers (field paths, UUIDs, ISO timestamps); the page shows
 * one of these sentences instead and never the code, JSON or a stack.
 */
const sentences: Record<string, string> = {
  unauthorized: 'Your sign-in is no longer valid. Sign in again with your API token.',
  forbidden: 'Your account cannot do this. Some actions are only for participants or organizers.',
  not_found: 'We could not find what you were looking for. It may have been removed.',
  quest_closed: 'This quest is not open right now, so it cannot be taken or handed in.',
  already_taken: 'You have taken this quest already. You will find it under My quests.',
  already_completed: 'You have completed this quest already.',
  payload_too_large: 'That is too much to send at once. Shorten the text and try again.',
  internal: 'Something went wrong on our side. Please try again in a moment.',
  unavailable: 'The Jam server is not answering. Check your connection and try again in a moment.',
};

/** Which form field an API validation message is about, and what to tell the person. */
const fieldHints: [RegExp, string][] = [
  [/submissionUrls/, 'Each link must be a full web address starting with https:// or http://.'],
  [/submissionText/, 'Say in a few words what you did.'],
  [/rating/, 'Choose a rating from 1 to 5.'],
  [/\bdate\b/, 'Give the day of the session.'],
  [/topic|notes|actionItems/, 'Fill in the topic and the notes of the session.'],
];

const generic = 'Something went wrong. Please try again.';

export function friendlyMessage(code: string, apiMessage = ''): string {
  if (code === 'invalid_request' || code === 'invalid_json') {
    // An id that is not a UUID only comes from a mistyped or truncated address.
    if (/not a valid id/.test(apiMessage)) return 'This address does not point to anything here.';
    const hint = fieldHints.find(([field]) => field.test(apiMessage))?.[1];
    return hint ? `Please check the form. ${hint}` : 'Please check what you entered and try again.';
  }
  return sentences[code] ?? generic;
}
