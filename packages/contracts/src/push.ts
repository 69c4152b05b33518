import { z } from 'zod';
import { text } from './primitives.ts';

/** Web push (API.md, "Web push") and the `attention` socket event it depends on. */

/** URL-safe base64 without padding, as PushSubscription.toJSON() writes keys. */
const base64Url = (what: string, max: number) =>
  text()
    .min(1, `${what} is required`)
    .max(max, `${what} is too long`)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, `${what} must be URL-safe base64`);

/** An https URL; the push service's address is checked again when connecting (ADR 031). */
export const pushEndpointSchema = text()
  .max(2048, 'Endpoint is too long')
  .pipe(z.url({ protocol: /^https$/, error: 'Endpoint must be an https URL' }));

export const pushSubscriptionBody = z.object({
  endpoint: pushEndpointSchema,
  keys: z.object({
    // An uncompressed P-256 point is 65 bytes (87 characters); the auth secret is 16 bytes (22).
    p256dh: base64Url('p256dh', 128),
    auth: base64Url('auth', 64),
  }),
});
export type PushSubscriptionBody = z.infer<typeof pushSubscriptionBody>;

export const pushUnsubscribeBody = z.object({ endpoint: pushEndpointSchema });
export type PushUnsubscribeBody = z.infer<typeof pushUnsubscribeBody>;

export const pushKeyResponse = z.object({ publicKey: z.string() });
export type PushKeyResponse = z.infer<typeof pushKeyResponse>;

/** What each push carries; the service worker reads exactly this. */
export const pushPayloadSchema = z.object({
  conversationId: z.number(),
  messageId: z.number(),
  title: z.string(),
  body: z.string().max(200),
  url: z.string(),
});
export type PushPayload = z.infer<typeof pushPayloadSchema>;

export const attentionClientPayload = z.object({ visible: z.boolean() });
export type AttentionClientPayload = z.infer<typeof attentionClientPayload>;
