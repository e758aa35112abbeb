/**
 * Reads a request's headers by name, as `new Headers(init).get(name)` would, without building a
 * `Headers`: the fetch drop-in only looks up a handful of names (the keyed API versions, the API key),
 * and undici's validating `Headers` constructor was a tenth of a replayed call's cost (profiled on a
 * 2000-sample `--cache replay` run). SDKs pass a plain object, an array of pairs or a `Headers`.
 */
export interface HeaderReader {
	get(name: string): string | null;
}

const NONE: HeaderReader = { get: () => null };

/** Leading and trailing HTTP white space (tab, space, CR, LF), which `Headers` strips from a value. */
const EDGE_SPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

export function headerReader(init: ConstructorParameters<typeof Headers>[0] | null): HeaderReader {
	if (init === undefined || init === null) return NONE;
	if (init instanceof Headers) return init;
	const pairs: Iterable<readonly [string, unknown]> =
		Symbol.iterator in init ? (init as Iterable<readonly [string, unknown]>) : Object.entries(init as Record<string, unknown>);
	const map = new Map<string, string>();
	for (const [name, raw] of pairs) {
		const key = String(name).toLowerCase();
		const text = String(raw);
		const value = isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(text.length - 1)) ? text.replace(EDGE_SPACE, '') : text;
		const before = map.get(key);
		map.set(key, before === undefined ? value : `${before}, ${value}`);
	}
	return { get: (name) => map.get(name.toLowerCase()) ?? null };
}
