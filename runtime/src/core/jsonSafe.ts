/**
 * Converts any value to plain JSON data (for the event stream and the store): keeps objects, arrays
 * and primitives; turns dates into ISO strings, Maps into objects, Sets into arrays, bigints into
 * strings, functions and class instances with behaviour into short descriptions, and cycles into
 * "[Circular]". Deep structures are cut at `maxDepth`.
 */
export function toJsonSafe(value: unknown, maxDepth = 8): unknown {
	return convert(value, maxDepth, undefined);
}

/** The objects being converted, innermost first (for cycles): at most maxDepth long. */
interface Path {
	readonly obj: object;
	readonly up: Path | undefined;
}

function onPath(obj: object, path: Path | undefined): boolean {
	for (let p = path; p; p = p.up) if (p.obj === obj) return true;
	return false;
}

// Runs for every row and score of a run, so it allocates little beyond the output: one small link
// per object on the path (no Set per call), and keys are walked without Object.entries.
function convert(value: unknown, depth: number, up: Path | undefined): unknown {
	switch (typeof value) {
		case 'string':
		case 'boolean':
			return value;
		case 'number':
			return Number.isFinite(value) ? value : String(value);
		case 'bigint':
			return value.toString();
		case 'undefined':
			return null;
		case 'function':
			return `[Function${value.name ? ` ${value.name}` : ''}]`;
		case 'symbol':
			return value.toString();
	}
	if (value === null) return null;
	const obj = value as object;
	if (onPath(obj, up)) return '[Circular]';
	if (depth <= 0) return '[…]';
	if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
	if (obj instanceof Error) return { name: obj.name, message: obj.message };
	if (ArrayBuffer.isView(obj)) return `[${obj.constructor.name} ${obj.byteLength} bytes]`;
	const path: Path = { obj, up };
	if (Array.isArray(obj)) return obj.map((v) => convert(v, depth - 1, path));
	if (obj instanceof Map) return Object.fromEntries([...obj].map(([k, v]) => [String(k), convert(v, depth - 1, path)]));
	if (obj instanceof Set) return [...obj].map((v) => convert(v, depth - 1, path));
	if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') return convert((obj as { toJSON(): unknown }).toJSON(), depth - 1, path);
	const out: Record<string, unknown> = {};
	let kept = 0;
	for (const k in obj) {
		if (!Object.hasOwn(obj, k)) continue;
		const v = (obj as Record<string, unknown>)[k];
		if (v === undefined || typeof v === 'function') continue;
		out[k] = convert(v, depth - 1, path);
		kept++;
	}
	if (kept === 0) {
		const proto = Object.getPrototypeOf(obj);
		if (proto !== Object.prototype && proto !== null) return `[${obj.constructor?.name ?? 'Object'}]`;
	}
	return out;
}
