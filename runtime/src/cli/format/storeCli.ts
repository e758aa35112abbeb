/**
 * What the store commands share: finding the store (--storage, DOTEVAL_STORAGE, project root),
 * opening it, and turning store failures into a message and an exit code.
 */
import { existsSync } from 'node:fs';
import type { CommandContext } from '../command.js';
import { ExitCode } from '../../protocol/events.js';
import { openReaderAt } from '../../store/open.js';
import { redactUrl } from '../../contracts/storage.js';
import { printableLines } from './printable.js';
// From the modules themselves, not store/index.js: a command that never opens the embedded store
// (a PostgreSQL one, or `list` answered from the listing) does not parse its code.
import { resolveStoragePath } from '../../store/paths.js';
import { StoreError, StoreRefusal, UnknownExperiment } from '../../store/errors.js';
import type { EvaluationRef, StoreReader } from '../../store/types.js';

export function storePath(ctx: CommandContext, storage: string | boolean | undefined): string {
	return resolveStoragePath({ storage: typeof storage === 'string' ? storage : undefined, cwd: ctx.cwd, env: ctx.env });
}

export function fail(ctx: CommandContext, message: string, code: number): number {
	ctx.stderr.write(`doteval: ${printableLines(message)}\n`);
	return code;
}

/** Runs `body`; store errors become messages: corrupt store → 4, unknown names and refusals → 1. */
export async function guarded(ctx: CommandContext, body: () => Promise<number>): Promise<number> {
	try {
		return await body();
	} catch (error) {
		if (error instanceof PipeClosed) return ExitCode.Ok;
		if (error instanceof StoreError) return fail(ctx, error.message, ExitCode.StoreError);
		if (error instanceof UnknownExperiment || error instanceof StoreRefusal || error instanceof NotFound) return fail(ctx, error.message, ExitCode.EvalFailed);
		throw error;
	}
}

/** An experiment or evaluation that is not in the store; the message names what is. */
export class NotFound extends Error {
	override name = 'NotFound';
}

export async function withReader<T>(
	ctx: CommandContext,
	storage: string | boolean | undefined,
	body: (reader: StoreReader, file: string) => Promise<T>,
): Promise<T> {
	const file = storePath(ctx, storage);
	const reader = await openReaderAt(file, { env: ctx.env, onNotice: (message) => ctx.stderr.write(`doteval: ${message}\n`) });
	try {
		return await body(reader, redactUrl(file)); // messages may name the store: never with its password
	} finally {
		await reader.close();
	}
}

export async function requireExperiment(reader: StoreReader, name: string, file: string): Promise<void> {
	if (await reader.experimentExists(name)) return;
	const names = (await reader.listExperiments()).map((e) => e.name);
	if (!existsSync(file) && names.length === 0)
		throw new NotFound(`no experiment named '${name}': there is no store at ${file} yet (run an eval first, or pass --storage PATH)`);
	throw new UnknownExperiment(name, names);
}

/** Whether an evaluation is the one a user named: by its name or by its id (`file::name`). */
export function isNamed(evaluation: EvaluationRef, wanted: string): boolean {
	return evaluation.evalId === wanted || evaluation.name === wanted;
}

/** The message for an evaluation a command was asked for that the experiment does not have. */
export function noSuchEvaluation(experiment: string, wanted: string, present: readonly EvaluationRef[]): NotFound {
	return new NotFound(`experiment '${experiment}' has no evaluation '${wanted}'; it has: ${present.map((e) => e.evalId).join(', ') || 'none'}`);
}

/**
 * The evaluations of an experiment a command works on (`--evaluation NAME`, or all of them): the
 * experiment must exist and the evaluation, when named, must be in it; either failure says what
 * there is. `list` chooses how much of each evaluation to load (its id, or its summary too).
 */
export async function selectEvaluations<T extends EvaluationRef>(
	reader: StoreReader,
	file: string,
	experiment: string,
	wanted: string | undefined,
	list: (experiment: string) => Promise<T[]>,
): Promise<T[]> {
	await requireExperiment(reader, experiment, file);
	const all = await list(experiment);
	if (wanted === undefined) return all;
	const chosen = all.filter((e) => isNamed(e, wanted));
	if (chosen.length === 0) throw noSuchEvaluation(experiment, wanted, all);
	return chosen;
}

/** The reader of our output went away (`doteval export … | head`): stop writing, quietly. */
export class PipeClosed extends Error {
	override name = 'PipeClosed';
}

const watched = new WeakSet<object>();

/** Resolves on drain when the stream is full, so large outputs do not pile up in memory. */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> | void {
	if (!watched.has(stream)) {
		watched.add(stream);
		stream.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code !== 'EPIPE') throw error;
		});
	}
	if ((stream as NodeJS.WritableStream & { destroyed?: boolean }).destroyed) throw new PipeClosed();
	if (!stream.write(text)) {
		// Whichever comes first; the other listener goes too, or a slow reader piles them up (and
		// Node warns of a leak after 10).
		return new Promise((resolve) => {
			const done = () => {
				stream.off('drain', done);
				stream.off('close', done);
				resolve();
			};
			stream.on('drain', done);
			stream.on('close', done);
		});
	}
}
