/**
 * What a provider's response headers say about its limits. OpenAI sends `x-ratelimit-limit-requests`
 * (per minute), `x-ratelimit-remaining-requests`, `x-ratelimit-reset-requests` ("1s", "6m0s", "20ms")
 * and the same for tokens; Anthropic sends `anthropic-ratelimit-requests-limit`, `…-remaining` and
 * `…-reset` (an RFC 3339 time). A 429/503 carries `retry-after-ms` (OpenAI) or `retry-after`
 * (seconds or an HTTP date).
 */

export interface LearnedLimits {
	/** Requests per minute and tokens per minute the provider allows this key. */
	rpm?: number;
	tpm?: number;
}

type HeaderGetter = { get(name: string): string | null };

function positive(value: string | null): number | undefined {
	if (value === null || value.trim() === '') return undefined;
	const n = Number(value);
	return Number.isFinite(n) && n > 0 ? n : undefined;
}

export function learnedLimits(headers: HeaderGetter): LearnedLimits {
	const rpm = positive(headers.get('x-ratelimit-limit-requests')) ?? positive(headers.get('anthropic-ratelimit-requests-limit'));
	const tpm =
		positive(headers.get('x-ratelimit-limit-tokens')) ??
		positive(headers.get('anthropic-ratelimit-tokens-limit')) ??
		positive(headers.get('anthropic-ratelimit-input-tokens-limit'));
	const out: LearnedLimits = {};
	if (rpm !== undefined) out.rpm = rpm;
	if (tpm !== undefined) out.tpm = tpm;
	return out;
}

/** "6m0s", "1s", "20ms", "1h2m3.5s" → ms; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
	const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
	let total = 0;
	let matched = '';
	for (let m = re.exec(text); m; m = re.exec(text)) {
		const n = Number(m[1]);
		total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
		matched += m[0];
	}
	return matched.length > 0 && matched === text.trim() ? total : undefined;
}

/** The pause a 429/503 asks for, in ms; undefined when the response names none. */
export function retryAfterHeaderMs(headers: HeaderGetter, now = Date.now()): number | undefined {
	const ms = headers.get('retry-after-ms');
	if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
	const value = headers.get('retry-after');
	if (value === null || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
