/**
 * Prices in USD per million tokens, by model id prefix (the longest matching prefix wins, so
 * `gpt-4o-mini-2024-07-18` is priced as `gpt-4o-mini`). The defaults are list prices as the table's
 * author knew them on `defaultPricesAsOf`; they could NOT be checked against the providers' live
 * pricing pages (the build machine has no internet access), and providers change prices. So a
 * cost is only as right as the table: users check their prices and override them with a client's
 * `prices` option or `setPrices({...})`. A model without a price gets no cost (null), never zero.
 */

export interface ModelPrice {
	/** USD per 1M prompt tokens. */
	input: number;
	/** USD per 1M completion tokens. */
	output: number;
}

/** Prices by model id prefix (the longest matching prefix wins). */
export type PriceTable = Record<string, ModelPrice>;

/** The date the default table was written (its prices are what was known then, not verified since). */
export const defaultPricesAsOf = '2026-12-01';

/** Where the default table's prices come from, in words (shown in the docs next to the table). */
export const defaultPricesSource =
	"OpenAI's and Anthropic's public list prices for standard (non-batch, non-cached) input and output tokens, as known to the table's author; not verified against the providers' live pricing pages";

/** The list prices doteval ships with (as of `defaultPricesAsOf`, unverified); override them with a client's `prices` option or `setPrices()`. */
export const defaultPrices: Readonly<PriceTable> = Object.freeze({
	'gpt-4o-mini': { input: 0.15, output: 0.6 },
	'gpt-4o': { input: 2.5, output: 10 },
	'gpt-4.1-nano': { input: 0.1, output: 0.4 },
	'gpt-4.1-mini': { input: 0.4, output: 1.6 },
	'gpt-4.1': { input: 2, output: 8 },
	'o3-mini': { input: 1.1, output: 4.4 },
	'o4-mini': { input: 1.1, output: 4.4 },
	'claude-3-5-haiku': { input: 0.8, output: 4 },
	'claude-3-5-sonnet': { input: 3, output: 15 },
	'claude-3-7-sonnet': { input: 3, output: 15 },
	'claude-sonnet-4': { input: 3, output: 15 },
	'claude-opus-4': { input: 15, output: 75 },
});

const KEY = Symbol.for('doteval.models.prices');

function overrides(): PriceTable {
	const g = globalThis as { [KEY]?: PriceTable };
	g[KEY] ??= {};
	return g[KEY];
}

/** Throws a TypeError naming the fix when a price table is not `{ model: { input, output } }` in USD per 1M tokens. */
export function checkPrices(where: string, prices: unknown): asserts prices is PriceTable {
	if (typeof prices !== 'object' || prices === null || Array.isArray(prices)) {
		throw new TypeError(
			`${where}: prices must be an object of model-id prefix → { input, output } in USD per 1M tokens, e.g. { 'gpt-4o-mini': { input: 0.15, output: 0.6 } }`,
		);
	}
	for (const [model, price] of Object.entries(prices as Record<string, unknown>)) {
		const p = price as Partial<ModelPrice> | null;
		const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
		if (!p || typeof p !== 'object' || !ok(p.input) || !ok(p.output)) {
			throw new TypeError(`${where}: the price of ${model} must be { input, output } in USD per 1M tokens, both numbers ≥ 0; got ${JSON.stringify(price)}`);
		}
	}
}

/** Add or replace prices for the whole run (they win over the defaults, not over a client's `prices`). */
export function setPrices(prices: PriceTable): void {
	checkPrices('setPrices', prices);
	for (const [model, price] of Object.entries(prices)) overrides()[model] = price;
}

function lookup(table: PriceTable, model: string): ModelPrice | undefined {
	let best: string | undefined;
	for (const prefix of Object.keys(table)) if (model.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
	return best === undefined ? undefined : table[best];
}

export function priceOf(model: string, clientPrices?: PriceTable): ModelPrice | undefined {
	return (clientPrices && lookup(clientPrices, model)) ?? lookup(overrides(), model) ?? lookup(defaultPrices as PriceTable, model);
}

/** USD for the tokens, or undefined when the model has no price. */
export function costOf(model: string, input: number, output: number, clientPrices?: PriceTable): number | undefined {
	const price = priceOf(model, clientPrices);
	return price && (input * price.input + output * price.output) / 1e6;
}
