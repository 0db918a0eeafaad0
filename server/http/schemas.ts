/**
 * Every HTTP input (body, query, route parameters) has one zod schema here; `parse` turns a
 * failure into `400 invalid-input` whose message names the field.
 */
import { z } from 'zod';
import { CONVERSATION_ID, Limits, USER_ID } from '../../shared/protocol';
import { SEARCH_TEXT_MAX, SEARCH_WORDS_MAX, searchWords } from '../../shared/search-text';
import {
  checkDisplayName,
  checkPassword,
  normalizeEmail,
  type Result,
} from '../../shared/validate';
import { checkAbout } from '../../shared/profile';
import { AppError } from '../errors';
import type { ErrorCode } from '../../shared/errors';

/** A schema from one of the validators of `shared/validate.ts` (their rules and messages). */
const checked = <T>(check: (raw: unknown) => Result<T>) =>
  z.unknown().transform((raw, ctx): T => {
    const r = check(raw);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.message });
    return z.NEVER;
  });

/** A string of at most `max` characters; `label` names the field in the messages. */
const text = (max: number, label: string) =>
  z
    .string({ error: `${label} is required.` })
    .max(max, `${label} is too long (at most ${max.toLocaleString('en')} characters).`);

const userId = z
  .string({ error: 'userId must be a user id.' })
  .regex(USER_ID, 'userId must be a user id.');

export const registerBody = z.object({
  email: checked(normalizeEmail),
  password: checked(checkPassword),
  displayName: checked(checkDisplayName),
  /** The invite code (registration mode `invite`); ignored in the other modes. */
  invite: text(200, 'Invite code').optional(),
});

/** "Forgot password?": any text up to 254 characters (a malformed address just gets no mail). */
export const forgotBody = z.object({ email: text(254, 'E-mail') });

/** A one-time link's secret and the new password. */
export const resetBody = z.object({
  token: text(200, 'token'),
  password: checked(checkPassword),
});

export const adminUsersQuery = z.object({
  q: z
    .string({ error: 'q must be one search text.' })
    .max(100, 'The search text is too long (100 characters at most).')
    .default(''),
});

export const registrationBody = z.object({
  mode: z.enum(['open', 'invite', 'closed'], { error: 'mode must be open, invite or closed.' }),
});

export const inviteBody = z.object({
  uses: z
    .number({ error: 'uses must be a whole number from 1 to 10,000.' })
    .int('uses must be a whole number from 1 to 10,000.')
    .min(1, 'uses must be a whole number from 1 to 10,000.')
    .max(10_000, 'uses must be a whole number from 1 to 10,000.')
    .default(1),
  expiresDays: z
    .number({ error: 'expiresDays must be a whole number from 1 to 365.' })
    .int('expiresDays must be a whole number from 1 to 365.')
    .min(1, 'expiresDays must be a whole number from 1 to 365.')
    .max(365, 'expiresDays must be a whole number from 1 to 365.')
    .default(7),
});

export const inviteParams = z.object({ id: z.string().regex(/^i_[A-Za-z0-9_-]{20}$/) });

/**
 * Sign-in takes any password up to 1,000 characters (accounts made before the 72-byte rule
 * may have longer ones) and any e-mail text: a malformed one is a failed attempt, not a hint.
 */
export const loginBody = z.object({
  email: text(1000, 'E-mail'),
  password: text(1000, 'Password'),
});

/** `PUT /api/profile`: your display name and "about" line (nothing else: no user id). */
export const profileBody = z
  .record(z.string(), z.unknown())
  .refine((b) => Object.keys(b).every((k) => k === 'displayName' || k === 'about'), {
    message: 'Only displayName and about can be changed here.',
    path: ['body'],
  })
  .pipe(
    z.object({
      displayName: checked(checkDisplayName),
      about: checked(checkAbout),
    }),
  );

/** `GET /api/users/:userId/photo`: which version and size. */
export const photoQuery = z.object({
  v: z.string().max(64).default(''),
  size: z.enum(['large', 'small'], { error: 'size must be large or small.' }).default('small'),
});

export const passwordBody = z.object({
  currentPassword: text(1000, 'Current password'),
  newPassword: checked(checkPassword),
});

/** A device of the devices list: the public id of a session (never the session id itself). */
export const deviceParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{22}$/) });

/** "Your data": the export as JSON (machine-readable) or HTML (readable). */
export const exportQuery = z.object({
  format: z.enum(['json', 'html'], { error: 'format must be json or html.' }).default('json'),
});

/** Deleting your account takes your password. */
export const deleteAccountBody = z.object({ password: text(1000, 'Password') });

export const peerBody = z.object({
  peerId: z
    .string({ error: 'peerId must be a user id.' })
    .regex(USER_ID, 'peerId must be a user id.'),
});

export const contactRequestBody = z.object({ userId });

export const userParams = z.object({ userId });

/** Ids that name a thing in the path: a malformed one is simply "no such thing" (404). */
export const conversationParams = z.object({ id: z.string().regex(CONVERSATION_ID) });
export const requestParams = z.object({ id: z.string().regex(/^r_[A-Za-z0-9_-]{20}$/) });

export const searchQuery = z.object({
  q: z
    .string({ error: 'q must be one search text.' })
    .max(100, 'The search text is too long (100 characters at most).')
    .default(''),
});

export const historyQuery = z.object({
  limit: z
    .string({ error: `limit must be an integer from 1 to ${Limits.historyPageMax}.` })
    .regex(/^[0-9]{1,4}$/, `limit must be an integer from 1 to ${Limits.historyPageMax}.`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, `limit must be an integer from 1 to ${Limits.historyPageMax}.`)
        .max(Limits.historyPageMax, `limit must be an integer from 1 to ${Limits.historyPageMax}.`),
    )
    .default(Limits.historyPageDefault),
  before: z
    .string({ error: 'before must be a cursor returned as next.' })
    .regex(/^(\d{1,16}\.[A-Za-z0-9_-]{1,64})?$/, 'before must be a cursor returned as next.')
    .transform((raw) => {
      if (raw === '') return null;
      const dot = raw.indexOf('.');
      return { at: Number(raw.slice(0, dot)), id: raw.slice(dot + 1) };
    })
    .default(null),
});

/** `GET /api/search`: the words to find (never search syntax), how many, and how old at most. */
export const messageSearchQuery = z.object({
  q: z
    .string({ error: 'q must be one search text.' })
    .max(SEARCH_TEXT_MAX, `The search text is too long (${SEARCH_TEXT_MAX} characters at most).`)
    .transform((raw, ctx) => {
      const words = searchWords(raw);
      if (words.length === 0)
        ctx.addIssue({ code: 'custom', message: 'Type a word to search for.' });
      else if (words.length > SEARCH_WORDS_MAX)
        ctx.addIssue({
          code: 'custom',
          message: `Search for ${SEARCH_WORDS_MAX} words at most.`,
        });
      return words;
    }),
  limit: z
    .string({ error: 'limit must be an integer from 1 to 50.' })
    .regex(/^[0-9]{1,2}$/, 'limit must be an integer from 1 to 50.')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, 'limit must be an integer from 1 to 50.')
        .max(50, 'limit must be an integer from 1 to 50.'),
    )
    .default(20),
  before: z
    .string({ error: 'before must be a time in milliseconds.' })
    .regex(/^[0-9]{1,15}$/, 'before must be a time in milliseconds.')
    .transform(Number)
    .optional(),
});

export const epochParams = z.object({
  id: z.string().regex(CONVERSATION_ID),
  epoch: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,6})$/, 'epoch must be a number.')
    .transform(Number),
});

export const epochQuery = z.object({
  sv: z
    .string({ error: 'sv must be a base64url state vector.' })
    .max(8192, 'sv must be a base64url state vector.')
    .regex(/^[A-Za-z0-9_-]*$/, 'sv must be a base64url state vector.')
    .default(''),
});

/**
 * Parse `input` with `schema`, or throw: `invalid-input` (400) naming the field by default;
 * `not-found` for path ids, where a malformed id is no different from an unknown one.
 */
export function parse<S extends z.ZodType>(
  schema: S,
  input: unknown,
  failure: { code: ErrorCode; message: string } | null = null,
): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (failure) throw new AppError(failure.code, failure.message);
  if (!issue || issue.path.length === 0) throw new AppError('invalid-input', 'Send a JSON object.');
  // Our own messages name the field in words; zod's defaults ("Invalid input: …") get its name in front.
  const message = issue.message.startsWith('Invalid')
    ? `${issue.path.join('.')}: ${issue.message}`
    : issue.message;
  throw new AppError('invalid-input', message);
}

/** `PUT /api/settings/privacy`: every setting, each checked. */
export const privacyBody = z.object({
  readReceipts: z.boolean({ error: 'readReceipts must be true or false.' }),
  lastSeen: z.enum(['everyone', 'contacts', 'nobody'], {
    error: 'lastSeen must be everyone, contacts or nobody.',
  }),
  typing: z.boolean({ error: 'typing must be true or false.' }),
  discoverableByEmail: z.boolean({ error: 'discoverableByEmail must be true or false.' }),
});

/** `POST /api/conversations/:id/read`: the newest message read. */
export const readBody = z.object({
  upTo: z
    .string({ error: 'upTo must be a message id.' })
    .regex(/^[A-Za-z0-9_-]{8,64}$/, 'upTo must be a message id.'),
});
