/** The contract's limits (API.md, Conventions), shared so the UI can say them before the server does. */
export const LIMITS = {
  emailMax: 254,
  nicknameMax: 32,
  passwordMin: 8,
  passwordMax: 256,
  titleMax: 100,
  contentMax: 4000,
  membersMin: 2,
  membersMax: 256,
  clientIdMax: 64,
  pageDefault: 50,
  pageMax: 100,
  usersDefault: 50,
  usersMax: 100,
  bodyBytes: 64 * 1024,
  /** Distinct emoji on one message. */
  reactionsMax: 50,
  /** A reply's quote: the original's first code points. */
  excerptMax: 120,
  eventsDefault: 200,
  eventsMax: 500,
  attachmentsMax: 10,
  searchQueryMax: 200,
  searchDefault: 20,
  searchMax: 50,
} as const;
