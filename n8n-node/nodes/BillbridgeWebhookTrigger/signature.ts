import { createHmac, timingSafeEqual } from 'crypto';

/** How far a delivery's webhook-timestamp may be from now, in seconds. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/** The Standard Webhooks headers and raw body of one delivery. */
export interface SignedDelivery {
	/** webhook-id: the event ID. */
	id: string | undefined;
	/** webhook-timestamp: unix seconds, as sent. */
	timestamp: string | undefined;
	/** webhook-signature: space-separated "v1,<base64>" entries. */
	signature: string | undefined;
	/** The body exactly as received. */
	body: Buffer | string | undefined;
}

/** The outcome of a check: ok, or the reason it failed (for logs, never for callers). */
export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * secretKey returns the HMAC key of a Standard Webhooks secret: the base64
 * decoding of the part after "whsec_". It returns undefined for anything else.
 */
export function secretKey(secret: string): Buffer | undefined {
	if (!secret.startsWith('whsec_')) {
		return undefined;
	}
	const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
	return key.length > 0 ? key : undefined;
}

/** sign returns the base64 HMAC-SHA256 of "id.timestamp.body" under key. */
export function sign(key: Buffer, id: string, timestamp: string, body: Buffer | string): string {
	return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
}

/**
 * verifyDelivery checks a delivery the Standard Webhooks way: all three
 * headers present, the timestamp within tolerance of nowSeconds, and one of
 * the v1 signatures equal (in constant time) to the HMAC-SHA256 of
 * "id.timestamp.body" keyed by the secret.
 */
export function verifyDelivery(
	secret: string,
	delivery: SignedDelivery,
	nowSeconds: number,
	toleranceSeconds: number = TIMESTAMP_TOLERANCE_SECONDS,
): Verdict {
	const key = secretKey(secret);
	if (!key) {
		return { ok: false, reason: 'no usable signing secret stored for this trigger' };
	}
	const { id, timestamp, signature, body } = delivery;
	if (!id || !timestamp || !signature) {
		return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
	}
	if (body === undefined) {
		return { ok: false, reason: 'raw body unavailable' };
	}
	if (!/^\d+$/.test(timestamp)) {
		return { ok: false, reason: 'webhook-timestamp is not unix seconds' };
	}
	if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
		return { ok: false, reason: 'webhook-timestamp outside the tolerance' };
	}
	const expected = Buffer.from(sign(key, id, timestamp, body), 'base64');
	for (const entry of signature.split(' ')) {
		const [version, value] = entry.split(',', 2);
		if (version !== 'v1' || !value) {
			continue;
		}
		const candidate = Buffer.from(value, 'base64');
		if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) {
			return { ok: true };
		}
	}
	return { ok: false, reason: 'no matching v1 signature' };
}
