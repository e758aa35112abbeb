/**
 * Which errors are worth retrying by default: connection failures, timeouts, HTTP 429 and 5xx. Error
 * shapes differ between Node's networking, undici's fetch and LLM SDKs, so we read what they have in
 * common: Node error `code`s, the `cause` chain of `fetch failed`, and an HTTP status on `status`,
 * `statusCode` or `response.status` (OpenAI, Anthropic, axios, got, ky style errors).
 */

const CONNECTION_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
	'ESOCKETTIMEDOUT',
]);

const CONNECTION_NAMES = new Set(['AbortError', 'TimeoutError', 'APIConnectionError', 'APIConnectionTimeoutError', 'FetchError', 'ConnectTimeoutError']);

type Loose = Record<string, unknown> | undefined | null;

function asObject(x: unknown): Loose {
	return typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : undefined;
}

/** The HTTP status carried by an error, if any. */
export function httpStatusOf(error: unknown): number | undefined {
	const e = asObject(error);
	if (!e) return undefined;
	const response = asObject(e.response);
	for (const candidate of [e.status, e.statusCode, response?.status, response?.statusCode]) {
		const n = typeof candidate === 'string' ? Number(candidate) : candidate;
		if (typeof n === 'number' && Number.isInteger(n) && n >= 100 && n < 600) return n;
	}
	return undefined;
}

/** True for network-level failures: Node codes, undici codes, `fetch failed`, aborts and timeouts. */
export function isConnectionError(error: unknown, depth = 0): boolean {
	const e = asObject(error);
	if (!e || depth > 5) return false;
	const code = typeof e.code === 'string' ? e.code : undefined;
	if (code && (CONNECTION_CODES.has(code) || code.startsWith('UND_ERR_'))) return true;
	const name = typeof e.name === 'string' ? e.name : '';
	if (CONNECTION_NAMES.has(name)) return true;
	if (name === 'TypeError' && e.message === 'fetch failed' && e.cause !== undefined) return true;
	return e.cause !== undefined && isConnectionError(e.cause, depth + 1);
}

/** The default retry rule: connection errors, timeouts, HTTP 408, 429 and 5xx. */
export function isRetryableByDefault(error: unknown): boolean {
	const status = httpStatusOf(error);
	if (status !== undefined) return status === 408 || status === 429 || status >= 500;
	return isConnectionError(error);
}

function headerValue(headers: unknown, name: string): string | undefined {
	if (!headers || typeof headers !== 'object') return undefined;
	const h = headers as { get?: unknown } & Record<string, unknown>;
	if (typeof h.get === 'function') {
		const v = (h.get as (n: string) => unknown).call(headers, name);
		return typeof v === 'string' ? v : undefined;
	}
	for (const key of Object.keys(h)) {
		if (key.toLowerCase() === name) {
			const v = h[key];
			return Array.isArray(v) ? String(v[0]) : v == null ? undefined : String(v);
		}
	}
	return undefined;
}

/**
 * The delay a server asked for, in ms: `retry-after-ms` (OpenAI), else `Retry-After` as seconds or an
 * HTTP date; read from `error.headers` or `error.response.headers` (a Headers object or a plain object).
 */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
	const e = asObject(error);
	if (!e) return undefined;
	for (const headers of [e.headers, asObject(e.response)?.headers]) {
		const ms = headerValue(headers, 'retry-after-ms');
		if (ms !== undefined && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
		const value = headerValue(headers, 'retry-after');
		if (value === undefined) continue;
		const seconds = Number(value);
		if (value.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
		const date = Date.parse(value);
		if (Number.isFinite(date)) return Math.max(0, date - now);
	}
	return undefined;
}
