/**
 * The cache key of a model call: what the request asks (method, path, body, the few headers that
 * change an answer) plus the trial index, hashed. The fetch drop-in leaves the host out (a proxy or a
 * local mock on another port meets the same entries) unless the client names its provider. Never an auth header: a key rotated or shared in
 * CI must hit the same entries, and the cache file must not hold secrets. JSON bodies are
 * canonicalised (keys sorted), so two SDKs that order fields differently share entries.
 *
 * The key is computed once per call, on the hot path of a replayed run: one JSON.parse, one
 * canonical serialisation by the native JSON.stringify (no sorted copy of the body), one one-shot SHA-256.
 * The bytes hashed are exactly those of the first cache format, so existing caches keep hitting.
 */
import * as crypto from 'node:crypto';

/** Headers that change what the provider answers (API versions and betas); everything else is left out. */
const KEYED_HEADERS = ['anthropic-version', 'anthropic-beta', 'openai-beta'];

function canonical(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(canonical);
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const k of Object.keys(value).sort()) out[k] = canonical((value as Record<string, unknown>)[k]);
		return out;
	}
	return value;
}

/** An array-index-like key ("0", "12"): JS objects list those first, in numeric order, whatever the insertion order. */
const INDEX_KEY = /^(?:0|[1-9]\d{0,8})$/;

/**
 * `JSON.stringify(canonical(value))` for a value from JSON.parse, by the native serialiser: given
 * the sorted list of every key in the tree, JSON.stringify writes each object's keys in that order
 * (keys an object lacks resolve to Object.prototype's functions, which it leaves out). Returns
 * undefined when an object has index-like keys (their order follows JS's own rule) or a
 * `__proto__` key: the slow path keeps the first format's exact output for those.
 */
function writeCanonical(value: unknown): string | undefined {
	const keys = new Set<string>();
	const collect = (v: unknown): boolean => {
		if (v === null || typeof v !== 'object') return true;
		if (Array.isArray(v)) return v.every(collect);
		for (const k in v) {
			// A digit first is rare in request bodies: the regular expression only runs then.
			const c = k.charCodeAt(0);
			if ((c >= 48 && c <= 57 && INDEX_KEY.test(k)) || k === '__proto__') return false;
			keys.add(k);
			if (!collect((v as Record<string, unknown>)[k])) return false;
		}
		return true;
	};
	if (!collect(value)) return undefined;
	return JSON.stringify(value, [...keys].sort());
}

/** The parsed JSON of a request body, or undefined when it is not JSON (a form, plain text). */
export function parseBody(body: string): unknown {
	const c = body.charCodeAt(0);
	if (c !== 123 && c !== 91) return undefined; // '{' or '['
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return undefined;
	}
}

/** The body as a stable string: canonical JSON when it parses, else the text itself. `parsed` saves a second parse when the caller has one. */
export function canonicalBody(body: string, parsed: unknown = parseBody(body)): string {
	if (body === '') return '';
	if (parsed === undefined) {
		// Not starting with '{' or '[' (a scalar, leading white space, or no JSON): as before.
		try {
			return JSON.stringify(canonical(JSON.parse(body)));
		} catch {
			return body;
		}
	}
	return writeCanonical(parsed) ?? JSON.stringify(canonical(parsed));
}

export interface KeyedRequest {
	method: string;
	url: string;
	headers: { get(name: string): string | null };
	body: string;
	/** The body already parsed (fetch reads the model from it too); parsed here when absent. */
	parsed?: unknown;
	trial: number;
}

// One-shot hashing (Node ≥ 20.12) skips a Hash object per call; the digest is the same.
const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;
const sha256 = (text: string): string => (oneShot ? oneShot('sha256', text) : crypto.createHash('sha256').update(text).digest('hex'));

/** The cache key of a request: a SHA-256 over its method, URL, the headers that change the answer, its canonical JSON body and the trial. */
export function requestKey(r: KeyedRequest): string {
	let text = `${r.method.toUpperCase()} ${r.url}\n`;
	for (const name of KEYED_HEADERS) {
		const v = r.headers.get(name);
		if (v !== null) text += `${name}: ${v}\n`;
	}
	text += `trial: ${r.trial}\n\n`;
	text += canonicalBody(r.body, 'parsed' in r ? r.parsed : parseBody(r.body));
	return sha256(text);
}
