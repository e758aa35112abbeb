/** Responses the fetch drop-in makes up itself, shaped like the providers' error bodies so SDKs report our message. */

/** `x-should-retry: false` tells the OpenAI and Anthropic SDKs not to retry (the run decides). */
export function syntheticError(status: number, type: string, message: string): Response {
	return new Response(JSON.stringify({ type: 'error', error: { type, code: type, message } }), {
		status,
		headers: { 'content-type': 'application/json', 'x-should-retry': 'false', 'x-doteval': type },
	});
}

/** `--cache replay` and the call is not in the response cache: replay never calls the provider, so the sample fails with this. */
export class CacheMissError extends Error {
	override name = 'CacheMissError';
}

export const replayMissMessage = (method: string, url: string): string =>
	`--cache replay: no cached response for ${method} ${url} (this trial, this request). Record it first with \`doteval run --cache record\` (or --cache on) where the API is reachable, or run without --cache replay`;

export const quotaMessage = (budget: string, detail: string): string =>
	`the provider's quota is exhausted for ${budget} (insufficient_quota: ${detail}). Add credit or use another key, then resume the experiment with doteval run --experiment <name>`;
