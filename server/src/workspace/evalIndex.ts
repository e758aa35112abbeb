/**
 * Every eval file's discovery facts, keyed by path. Open documents are keyed by their version,
 * closed files by mtime and size, so a file is parsed again only when it really changed. Listeners
 * hear when the evals of a file change (not on every keystroke that leaves them the same).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { findProjectRoot } from '../../../runtime/src/contracts/evalId.js';
import { discoverFile, mightHaveEvals, type FileFacts } from '../discovery/index';
import type { EvalDefinition } from '../../../runtime/src/contracts/editorProtocol.js';

interface Entry {
	/** `v<version>` for an open document, `m<mtime>:<size>` for a file on disk. */
	key: string;
	facts: FileFacts;
	/** JSON of the definitions, to tell a real change from a re-parse with the same result. */
	signature: string;
}

const noEvals: FileFacts = { evals: [], fixtures: [] };

export class EvalIndex {
	private readonly entries = new Map</* file */ string, Entry>();
	private readonly roots = new Map</* folder */ string, string>();

	constructor(private readonly onEvalsChanged: (file: string, evals: EvalDefinition[]) => void) {}

	projectRoot(file: string): string {
		const folder = path.dirname(file);
		let root = this.roots.get(folder);
		if (root === undefined) this.roots.set(folder, (root = findProjectRoot(file, existsSync)));
		return root;
	}

	/** The text of an open document (version-keyed). */
	updateText(file: string, version: number, text: string): FileFacts {
		return this.update(file, `v${version}`, () => text);
	}

	/** A file on disk: re-read only if its mtime or size changed. Gone files are removed. */
	updateFromDisk(file: string): FileFacts {
		let stat;
		try {
			stat = statSync(file);
		} catch {
			this.remove(file);
			return noEvals;
		}
		return this.update(file, `m${stat.mtimeMs}:${stat.size}`, () => readFileSync(file, 'utf8'));
	}

	remove(file: string): void {
		const had = this.entries.get(file);
		this.entries.delete(file);
		if (had && had.facts.evals.length) this.onEvalsChanged(file, []);
	}

	facts(file: string): FileFacts | undefined {
		return this.entries.get(file)?.facts;
	}

	/** Files that define at least one eval, sorted by path. */
	filesWithEvals(): Array<{ file: string; evals: EvalDefinition[] }> {
		return [...this.entries]
			.filter(([, e]) => e.facts.evals.length)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
			.map(([file, e]) => ({ file, evals: e.facts.evals.map((x) => x.definition) }));
	}

	files(): string[] {
		return [...this.entries.keys()];
	}

	private update(file: string, key: string, read: () => string): FileFacts {
		const old = this.entries.get(file);
		if (old?.key === key) return old.facts;
		let facts = noEvals;
		try {
			const text = read();
			// The prefilter is ~31× cheaper than a parse and rules out most files.
			if (mightHaveEvals(text)) facts = discoverFile(file, text, this.projectRoot(file));
		} catch {
			facts = noEvals; // unreadable file: no evals until it can be read
		}
		const signature = JSON.stringify(facts.evals.map((e) => e.definition));
		this.entries.set(file, { key, facts, signature });
		if (signature !== (old?.signature ?? '[]'))
			this.onEvalsChanged(
				file,
				facts.evals.map((e) => e.definition),
			);
		return facts;
	}
}
