/**
 * What a sample's own code prints: `console.log`/`console.error` and writes to `process.stdout` /
 * `process.stderr` made while the sample runs are kept with the sample (its record's `output`), so
 * the editor can show them on that sample. Attribution is by async context (sampleContext.ts): a
 * write belongs to the sample whose code made the current async context, so concurrent samples never
 * mix their output.
 *
 * The capture patches the two streams' `write` for the duration of a run. With `passThrough` the text
 * also reaches the stream as before (a terminal run). Without it (the jsonl reporter, whose stdout is
 * the event stream) a sample's prints go only into its record, and any other print to stdout (module
 * code while loading, a fixture) goes to stderr, the log: stdout carries nothing but events, so a
 * printed JSON line can never pass for one.
 */
import { addScopeReader } from '../core/sampleScope.js';
import { currentSample } from './sampleContext.js';

/** Most characters kept per sample; what is beyond is counted, not kept (a sample logging in a loop). */
export const maxSampleOutputChars = 64 * 1024;

/** One sample's printed text, as it grows. */
export class SampleOutput {
	private text = '';
	private dropped = 0;

	append(chunk: string): void {
		const room = maxSampleOutputChars - this.text.length;
		if (room >= chunk.length) this.text += chunk;
		else {
			if (room > 0) this.text += chunk.slice(0, room);
			this.dropped += chunk.length - Math.max(0, room);
		}
	}

	/** The text, with a last line saying how much was left out; undefined when nothing was printed. */
	value(): string | undefined {
		if (!this.text && !this.dropped) return undefined;
		return this.dropped
			? `${this.text}${this.text.endsWith('\n') ? '' : '\n'}… ${this.dropped} more characters of output not kept (at most ${maxSampleOutputChars} per sample)\n`
			: this.text;
	}
}

type Write = typeof process.stdout.write;

let installed: { restore(): void } | undefined;
/** >0 while the runtime writes its own lines (logger, reporters): never a sample's output. */
let ownWrites = 0;

/** Runs `write` as the runtime's own output: not captured even inside a sample's context. */
export function runtimeWrite<T>(write: () => T): T {
	ownWrites++;
	try {
		return write();
	} finally {
		ownWrites--;
	}
}

function chunkText(chunk: unknown, encoding: unknown): string {
	if (typeof chunk === 'string') return chunk;
	if (chunk instanceof Uint8Array)
		return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString(
			typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8',
		);
	return String(chunk);
}

function patch(stream: NodeJS.WriteStream, passThrough: boolean, elsewhere?: NodeJS.WriteStream): () => void {
	const original = stream.write;
	const write = function (this: NodeJS.WriteStream, chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
		const sample = ownWrites === 0 ? currentSample() : undefined;
		if (sample?.running && sample.output) {
			sample.output.append(chunkText(chunk, encoding));
			if (!passThrough) {
				const done = typeof encoding === 'function' ? encoding : callback;
				if (typeof done === 'function') process.nextTick(done as () => void);
				return true;
			}
		}
		// eslint-disable-next-line prefer-rest-params -- forward exactly what the caller passed
		return Reflect.apply(ownWrites === 0 && elsewhere ? elsewhere.write : original, ownWrites === 0 && elsewhere ? elsewhere : this, arguments) as boolean;
	} as Write;
	stream.write = write;
	return () => {
		// Only undo our own patch: someone who patched after us keeps theirs.
		if (stream.write === write) stream.write = original;
	};
}

/**
 * Starts keeping each running sample's output; returns the function that stops it. One capture at a
 * time: a second call while one is installed returns a no-op stop.
 */
export function captureSampleOutput(options: { passThrough: boolean }): () => void {
	if (installed) return () => {};
	// stderr first, so that stdout's redirect writes through stderr's patch (a sample's print is kept once).
	const restores = [
		patch(process.stderr, options.passThrough),
		patch(process.stdout, options.passThrough, options.passThrough ? undefined : process.stderr),
		addScopeReader(), // attribution is by the sample's async context
	];
	const handle = { restore: () => restores.forEach((r) => r()) };
	installed = handle;
	return () => {
		if (installed !== handle) return;
		installed = undefined;
		handle.restore();
	};
}

/** Whether a capture is on (so a sample's context needs a buffer). */
export function capturing(): boolean {
	return installed !== undefined;
}
