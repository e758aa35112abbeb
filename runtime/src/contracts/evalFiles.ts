/**
 * Which files doteval treats as eval files and as shared fixture files: the one rule `doteval run`
 * (folders it walks), the language server (files it indexes) and the extension (`doteval.evalGlobs`
 * default, activation) share. No file system access of its own: the editor bundles import it.
 */
import * as path from 'node:path';

/** The source extensions doteval loads (TypeScript through its loader, JavaScript as is). */
export const evalFileExtensions = ['ts', 'mts', 'js', 'mjs'] as const;

/** The default `doteval.evalGlobs`: `*.eval.ts` and `eval_*.ts`, in each extension, in any folder. */
export const defaultEvalGlobs: readonly string[] = [`**/*.eval.{${evalFileExtensions.join(',')}}`, `**/eval_*.{${evalFileExtensions.join(',')}}`];

/**
 * Shared fixture files, like pytest's conftest.py: fixtures declared in one of these, in an eval
 * file's folder or any folder above it up to the project root, are visible to that eval.
 */
export const fixtureFileNames: readonly string[] = evalFileExtensions.map((ext) => `doteval.fixtures.${ext}`);

const evalFilePattern = new RegExp(`^(?:eval_.+|.+\\.eval)\\.(?:${evalFileExtensions.join('|')})$`);

/** True for the default eval file names (a file name, not a path): what {@link defaultEvalGlobs} match. */
export function isEvalFileName(fileName: string): boolean {
	return evalFilePattern.test(fileName) && !fileName.endsWith('.d.ts') && !fileName.endsWith('.d.mts');
}

/** Folders no search for eval files enters: dependencies and dot-folders (`.git`, `.doteval`, …). */
export function isSkippedFolder(name: string): boolean {
	return name === 'node_modules' || name.startsWith('.');
}

/**
 * The shared fixture files that apply to `evalFile`, outermost (project root) first: the order the
 * runner imports them in, and the files whose declarations the language server counts as visible.
 * Only files for which `exists` says yes are listed. Folders outside `projectRoot` are not searched.
 */
export function fixtureFilesFor(evalFile: string, projectRoot: string, exists: (file: string) => boolean): string[] {
	const root = path.resolve(projectRoot);
	const folders: string[] = [];
	let dir = path.dirname(path.resolve(evalFile));
	for (;;) {
		folders.push(dir);
		if (dir === root) break;
		const parent = path.dirname(dir);
		if (parent === dir || !(dir + path.sep).startsWith(root + path.sep)) break;
		dir = parent;
	}
	return folders.reverse().flatMap((folder) => fixtureFileNames.map((name) => path.join(folder, name)).filter(exists));
}

/** Whether a path names a shared fixture file. */
export function isFixtureFile(file: string): boolean {
	return fixtureFileNames.includes(path.basename(file));
}

/**
 * A glob (`*`, `**`, `?`, `{a,b}`, `[abc]`) as a regular expression over `/`-separated paths: the
 * dialect of `doteval run 'evals/**\/*.ts'` and of `doteval.evalGlobs`.
 */
export function globToRegExp(glob: string): RegExp {
	let re = '';
	for (let i = 0; i < glob.length; i++) {
		const c = glob[i]!;
		if (c === '*') {
			if (glob[i + 1] === '*') {
				// `**/` matches zero or more folders; a trailing `**` matches anything.
				const slash = glob[i + 2] === '/';
				re += slash ? '(?:.*/)?' : '.*';
				i += slash ? 2 : 1;
			} else re += '[^/]*';
		} else if (c === '?') re += '[^/]';
		else if (c === '{') {
			const end = glob.indexOf('}', i);
			if (end < 0) {
				re += '\\{';
				continue;
			}
			re +=
				'(?:' +
				glob
					.slice(i + 1, end)
					.split(',')
					.map((s) => s.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
					.join('|') +
				')';
			i = end;
		} else if (c === '[') {
			const end = glob.indexOf(']', i);
			if (end < 0) {
				re += '\\[';
				continue;
			}
			re += glob.slice(i, end + 1);
			i = end;
		} else re += /[.+^$()|\\]/.test(c) ? '\\' + c : c;
	}
	return new RegExp('^' + re + '$');
}
