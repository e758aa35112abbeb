/**
 * Token usage from a provider's response, in any of the formats we meet:
 *   OpenAI chat        { usage: { prompt_tokens, completion_tokens } }
 *   OpenAI responses   { usage: { input_tokens, output_tokens } }, streamed in `response.completed`
 *   Anthropic          { usage: { input_tokens, output_tokens, cache_*_input_tokens } }, streamed in
 *                      `message_start` (input) and `message_delta` (output, cumulative)
 *   AI SDK             { inputTokens, outputTokens } (v5+), { promptTokens, completionTokens } (v4)
 * Streams (SSE) report usage in one or more events; we keep the largest count seen per side, since
 * the counts there are cumulative.
 */

export interface TokenUsage {
	input: number;
	output: number;
}

type Loose = Record<string, unknown>;

const num = (x: unknown): number | undefined =>
	typeof x === 'number' && Number.isFinite(x)
		? x
		: typeof x === 'object' && x !== null && typeof (x as Loose).total === 'number'
			? ((x as Loose).total as number)
			: undefined;

/** Usage from one usage-shaped object (any format above); undefined when it is not one. */
export function normalizeUsage(u: unknown): TokenUsage | undefined {
	if (typeof u !== 'object' || u === null) return undefined;
	const o = u as Loose;
	let input = num(o.prompt_tokens) ?? num(o.input_tokens) ?? num(o.inputTokens) ?? num(o.promptTokens);
	const output = num(o.completion_tokens) ?? num(o.output_tokens) ?? num(o.outputTokens) ?? num(o.completionTokens);
	if (input === undefined && output === undefined) return undefined;
	// Anthropic counts cached prompt tokens apart from input_tokens; they are still prompt tokens.
	if (o.input_tokens !== undefined) input = (input ?? 0) + (num(o.cache_creation_input_tokens) ?? 0) + (num(o.cache_read_input_tokens) ?? 0);
	return { input: input ?? 0, output: output ?? 0 };
}

function usageIn(body: unknown): TokenUsage | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const o = body as Loose;
	return normalizeUsage(o.usage) ?? normalizeUsage((o.response as Loose | undefined)?.usage) ?? normalizeUsage((o.message as Loose | undefined)?.usage);
}

function modelIn(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const o = body as Loose;
	const m = o.model ?? (o.response as Loose | undefined)?.model ?? (o.message as Loose | undefined)?.model;
	return typeof m === 'string' ? m : undefined;
}

export interface ResponseFacts {
	usage?: TokenUsage;
	model?: string;
}

/** Usage and model of a JSON response body (text). */
export function factsFromJson(text: string): ResponseFacts {
	try {
		const body = JSON.parse(text) as unknown;
		return { usage: usageIn(body), model: modelIn(body) };
	} catch {
		return {};
	}
}

/** Usage and model of a whole SSE stream (text): the largest counts seen in its `data:` events. */
export function factsFromSse(text: string): ResponseFacts {
	const facts: ResponseFacts = {};
	for (const line of text.split('\n')) {
		if (!line.startsWith('data:')) continue;
		const data = line.slice(5).trim();
		if (data === '' || data === '[DONE]' || (!data.includes('usage') && !data.includes('model'))) continue;
		let event: unknown;
		try {
			event = JSON.parse(data);
		} catch {
			continue;
		}
		facts.model ??= modelIn(event);
		const u = usageIn(event);
		if (u) facts.usage = { input: Math.max(facts.usage?.input ?? 0, u.input), output: Math.max(facts.usage?.output ?? 0, u.output) };
	}
	return facts;
}
