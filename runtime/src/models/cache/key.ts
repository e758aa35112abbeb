/**
 * The cache key of a model call: what the request asks (method, path, body, the few headers that
 * change an answer) plus the trial index, hashed. The fetch drop-in leaves the host out (a proxy or a
 * local mock on another port meets the same entries) unless the client names its provider. Never an auth header: a key rotated or shared in
 * CI must hit the same entries, and the cache file must not hold secrets. JSON bodies are
 * canonicalised (keys sorted), so two SDKs that order fields differently share entries.
 */
import { createHash } from 'node:crypto';

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

/** The body as a stable string: canonical JSON when it parses, else the text itself. */
export function canonicalBody(body: string): string {
	if (body === '') return '';
	try {
		return JSON.stringify(canonical(JSON.parse(body)));
	} catch {
		return body;
	}
}

export interface KeyedRequest {
	method: string;
	url: string;
	headers: { get(name: string): string | null };
	body: string;
	trial: number;
}

/** The cache key of a request: a SHA-256 over its method, URL, the headers that change the answer, its canonical JSON body and the trial. */
export function requestKey(r: KeyedRequest): string {
	const h = createHash('sha256');
	h.update(`${r.method.toUpperCase()} ${r.url}\n`);
	for (const name of KEYED_HEADERS) {
		const v = r.headers.get(name);
		if (v !== null) h.update(`${name}: ${v}\n`);
	}
	h.update(`trial: ${r.trial}\n\n`);
	h.update(canonicalBody(r.body));
	return h.digest('hex');
}
