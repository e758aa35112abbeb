/**
 * A cached answer handed back as a `Response`. Streams are replayed event by event through a real
 * ReadableStream. A JSON answer is already a string in memory: reading it through undici's body
 * machinery (a web stream consumed through a chain of promises, each one seen by the run's
 * AsyncLocalStorage hooks) was most of a replayed call's cost (profiled: `new Response(text).json()`
 * ~60–140 µs a call against ~7–20 µs for this class, on a loaded 2-core machine), so `ReplayedResponse` answers `text()`/`json()`/`arrayBuffer()` from
 * the string and builds a real body stream only when a caller asks for `body` (the AI SDK reads
 * it that way). It is a real `Response` (instanceof, headers, status, clone), so SDKs see no
 * difference.
 */
import type { CachedResponse } from './journal.js';

const used = (): TypeError => new TypeError('Body is unusable: Body has already been read');

/** A Response whose body is a string already in memory. */
export class ReplayedResponse extends Response {
	readonly #text: string;
	readonly #init: ResponseInit;
	#used = false;
	/** The real Response behind `body`, made the first time the stream is asked for. */
	#real: Response | undefined;
	/** Made the first time they are asked for: undici's header validation is half of the constructor's cost, and most callers only read the body. */
	#headers: Headers | undefined;

	constructor(text: string, init: ResponseInit) {
		// No init for undici: its ResponseInit conversion and checks were a fifth of the constructor's
		// cost; status, statusText and ok are answered from `init` below.
		super();
		this.#text = text;
		this.#init = init;
	}

	#stream(): ReadableStream<Uint8Array> | null {
		if (!this.#real) {
			this.#real = new Response(this.#text, this.#init);
			if (this.#used) void this.#real.text(); // already read: the stream is a disturbed one, as a Response's is
		}
		return this.#real.body;
	}

	#take(): Promise<string> {
		if (this.#real) return this.#real.text();
		if (this.#used) return Promise.reject(used());
		this.#used = true;
		return Promise.resolve(this.#text);
	}

	#bytes(): Promise<Uint8Array> {
		return this.#take().then((t) => new Uint8Array(Buffer.from(t, 'utf8')));
	}

	static {
		// Installed on the prototype rather than written as methods: the Node typings declare
		// Response's body readers and accessors as properties, which a subclass may not redefine.
		const methods: Record<string, (this: ReplayedResponse) => unknown> = {
			text() {
				return this.#take();
			},
			json() {
				return this.#take().then((t) => JSON.parse(t) as unknown);
			},
			bytes() {
				return this.#bytes();
			},
			arrayBuffer() {
				return this.#bytes().then((b) => b.buffer);
			},
			blob() {
				return this.#take().then((t) => new Blob([t], { type: this.headers.get('content-type') ?? '' }));
			},
			formData() {
				if (!this.#real && this.#used) return Promise.reject(used());
				this.#stream();
				return this.#real!.formData();
			},
			clone() {
				if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
				return this.#real ? this.#real.clone() : new ReplayedResponse(this.#text, this.#init);
			},
		};
		for (const [name, value] of Object.entries(methods)) Object.defineProperty(this.prototype, name, { value, writable: true, configurable: true });
		Object.defineProperty(this.prototype, 'headers', {
			configurable: true,
			get(this: ReplayedResponse) {
				return (this.#headers ??= new Headers(this.#init.headers));
			},
		});
		const status = (r: ReplayedResponse): number => r.#init.status ?? 200;
		Object.defineProperty(this.prototype, 'status', {
			configurable: true,
			get(this: ReplayedResponse) {
				return status(this);
			},
		});
		Object.defineProperty(this.prototype, 'ok', {
			configurable: true,
			get(this: ReplayedResponse) {
				return status(this) >= 200 && status(this) <= 299;
			},
		});
		Object.defineProperty(this.prototype, 'statusText', {
			configurable: true,
			get(this: ReplayedResponse) {
				return this.#init.statusText ?? '';
			},
		});
		Object.defineProperty(this.prototype, 'body', {
			configurable: true,
			get(this: ReplayedResponse) {
				return this.#stream();
			},
		});
		Object.defineProperty(this.prototype, 'bodyUsed', {
			configurable: true,
			get(this: ReplayedResponse) {
				return this.#real ? this.#real.bodyUsed : this.#used;
			},
		});
	}
}

/** A cached answer as a fresh Response, marked `x-doteval-cache: hit`; a stream is replayed event by event. */
export function replay(entry: CachedResponse): Response {
	const headers = { ...entry.headers, 'x-doteval-cache': 'hit' };
	const init = { status: entry.status, statusText: entry.statusText, headers };
	if (!entry.stream) return new ReplayedResponse(entry.body, init);
	const encoder = new TextEncoder();
	const events = entry.body.split(/(?<=\n\n)/);
	let i = 0;
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (i < events.length) controller.enqueue(encoder.encode(events[i++]!));
			else controller.close();
		},
	});
	return new Response(stream, init);
}
