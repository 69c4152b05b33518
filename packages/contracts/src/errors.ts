import { z } from 'zod';

/** Every error code the API answers with; the HTTP status of each lives in the API's one map. */
export const errorCodes = [
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'csrf_rejected',
  'forbidden',
  'not_found',
  'nickname_taken',
  'email_taken',
  'conversation_closed',
  'message_deleted',
  'direct_conversation',
  'too_many_reactions',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
