// Measures which public exports of the doteval package have a doc comment: every name exported by an
// entry point of runtime/package.json ("exports"), followed to its declaration with the TypeScript
// checker. Prints the coverage and the names without one; `--min P` exits 1 below P percent.
//   node scripts/check-doc-comments.mjs [--min 100] [--json]
import ts from 'typescript';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(repo, 'runtime/package.json'), 'utf8'));

/** The source entry point of each package subpath (dist/types/x.d.ts → src/x.ts). */
export function entryPoints() {
	return Object.entries(pkg.exports)
		.filter(([, target]) => typeof target === 'object' && target.types)
		.map(([subpath, target]) => ({
			subpath: subpath === '.' ? 'doteval' : `doteval/${subpath.slice(2)}`,
			file: path.join(repo, 'runtime/src', target.types.replace('./dist/types/', '').replace(/\.d\.ts$/, '.ts')),
		}));
}

/** Every public export and whether its declaration carries a doc comment. */
export function measure() {
	const entries = entryPoints();
	const program = ts.createProgram(
		entries.map((e) => e.file),
		{
			strict: true,
			module: ts.ModuleKind.NodeNext,
			moduleResolution: ts.ModuleResolutionKind.NodeNext,
			target: ts.ScriptTarget.ES2022,
			noEmit: true,
			skipLibCheck: true,
		},
	);
	const checker = program.getTypeChecker();
	const seen = new Map();
	for (const entry of entries) {
		const source = program.getSourceFile(entry.file);
		const moduleSymbol = source && checker.getSymbolAtLocation(source);
		if (!moduleSymbol) continue;
		for (const exported of checker.getExportsOfModule(moduleSymbol)) {
			const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
			const declarations = symbol.declarations ?? [];
			const key = declarations[0] ? `${declarations[0].getSourceFile().fileName}:${declarations[0].pos}` : `${entry.subpath}:${exported.name}`;
			if (seen.has(key)) continue; // re-exported by several entry points: count once
			const documented = symbol.getDocumentationComment(checker).length > 0 || declarations.some((d) => ts.getJSDocCommentsAndTags(d).length > 0);
			seen.set(key, {
				name: exported.name,
				entry: entry.subpath,
				file: declarations[0] ? path.relative(repo, declarations[0].getSourceFile().fileName) : '',
				documented,
			});
		}
	}
	const all = [...seen.values()];
	return { total: all.length, documented: all.filter((e) => e.documented).length, missing: all.filter((e) => !e.documented) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const result = measure();
	const percent = result.total ? (100 * result.documented) / result.total : 100;
	if (process.argv.includes('--json')) console.log(JSON.stringify({ ...result, percent }));
	else {
		console.log(`doc comments: ${result.documented} of ${result.total} public exports (${percent.toFixed(1)}%)`);
		for (const e of result.missing) console.log(`  missing: ${e.name} (${e.entry}, ${e.file})`);
	}
	const minIdx = process.argv.indexOf('--min');
	if (minIdx >= 0 && percent < Number(process.argv[minIdx + 1])) process.exit(1);
}
