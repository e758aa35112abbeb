/**
 * `--reporter pretty,junit:out.xml,github`: which reporters a run uses. One of them writes to
 * stdout (pretty or jsonl; pretty when the list names neither); the others write files (junit,
 * jsonl:FILE) or GitHub workflow commands and the job summary (github). Pure parsing.
 */
import type { Reporter, ReporterName } from './reporter.js';

export type ExtraReporterSpec = { name: 'junit'; file: string } | { name: 'jsonl'; file: string } | { name: 'github' };

export interface ReporterSelection {
	/** The reporter on stdout. */
	stdout: ReporterName;
	/** File and CI reporters, in the order given. */
	extra: ExtraReporterSpec[];
}

export const reporterSyntax = 'pretty, jsonl, jsonl:FILE, junit:FILE or github, comma-separated (e.g. pretty,junit:out.xml,github)';

export function parseReporterList(text: string): ReporterSelection {
	const parts = text
		.split(',')
		.map((p) => p.trim())
		.filter((p) => p !== '');
	if (parts.length === 0) throw new Error(`--reporter expects ${reporterSyntax}; got '${text}'`);
	let stdout: ReporterName | undefined;
	const extra: ExtraReporterSpec[] = [];
	const seen = new Set<string>();
	for (const part of parts) {
		const at = part.indexOf(':');
		const name = at < 0 ? part : part.slice(0, at);
		const file = at < 0 ? undefined : part.slice(at + 1);
		const key = file === undefined ? name : `${name}:${file}`;
		if (seen.has(key)) throw new Error(`--reporter names '${key}' twice`);
		seen.add(key);
		if ((name === 'pretty' || name === 'github') && file !== undefined)
			throw new Error(`--reporter ${name} takes no file; got '${part}' (use ${reporterSyntax})`);
		if (file === '') throw new Error(`--reporter ${name}: needs a file after the colon, e.g. ${name}:out.${name === 'junit' ? 'xml' : 'jsonl'}`);
		if (name === 'pretty' || (name === 'jsonl' && file === undefined)) {
			if (stdout !== undefined)
				throw new Error(`--reporter: only one of pretty and jsonl can write to stdout; write the event stream to a file with jsonl:FILE`);
			stdout = name;
		} else if (name === 'jsonl') extra.push({ name: 'jsonl', file: file! });
		else if (name === 'junit') {
			if (file === undefined) throw new Error(`--reporter junit needs a file to write: junit:FILE, e.g. junit:doteval-junit.xml`);
			extra.push({ name: 'junit', file });
		} else if (name === 'github') extra.push({ name: 'github' });
		else throw new Error(`--reporter: unknown reporter '${name}'; use ${reporterSyntax}`);
	}
	if (stdout === 'jsonl' && extra.some((r) => r.name === 'github')) {
		throw new Error(`--reporter: github writes workflow commands to stdout, which jsonl uses for its events; write the event stream to a file with jsonl:FILE`);
	}
	return { stdout: stdout ?? 'pretty', extra };
}

/** Several reporters as one: each gets every event in order; close() closes all, even if one throws. */
export function combineReporters(reporters: readonly Reporter[]): Reporter {
	if (reporters.length === 1) return reporters[0]!;
	return {
		onEvent(event) {
			for (const r of reporters) r.onEvent(event);
		},
		close() {
			let failure: unknown;
			for (const r of reporters) {
				try {
					r.close();
				} catch (error) {
					failure ??= error;
				}
			}
			if (failure !== undefined) throw failure;
		},
	};
}
