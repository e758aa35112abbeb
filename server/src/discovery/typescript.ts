/**
 * The TypeScript compiler API, loaded once with `require`: importing the 9 MB CommonJS package
 * through `import()` makes Node scan it for named exports and costs about 2.5× more
 * (docs/design/baselines.md §4). Only the parser is used; no Program is ever built.
 */
import type * as TS from 'typescript';

let loaded: typeof TS | undefined;
let loadMs: number | undefined;

export function loadTypeScript(): typeof TS {
	if (!loaded) {
		const started = performance.now();
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		loaded = require('typescript') as typeof TS;
		loadMs = performance.now() - started;
	}
	return loaded;
}

/** How long loading the compiler took, once it is loaded (the server logs it at start-up). */
export function typeScriptLoadMs(): number | undefined {
	return loadMs;
}

export type { TS };

/** Parse without parent pointers or JSDoc: discovery needs neither, and both cost time. */
export function parse(fileName: string, text: string): TS.SourceFile {
	const ts = loadTypeScript();
	return ts.createSourceFile(
		fileName,
		text,
		{ languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
		false,
	);
}
