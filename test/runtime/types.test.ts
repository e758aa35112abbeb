// Type-level tests: test/runtime/fixtures/typed-usage.ts must compile under strict mode, with an error
// exactly on each line marked @ts-expect-error (an unused directive is itself an error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

function compile(name: string): string[] {
	const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name);
	const program = ts.createProgram([file], {
		strict: true,
		target: ts.ScriptTarget.ES2022,
		module: ts.ModuleKind.NodeNext,
		moduleResolution: ts.ModuleResolutionKind.NodeNext,
		lib: ['lib.es2023.d.ts', 'lib.decorators.d.ts'],
		types: ['node'],
		skipLibCheck: true,
		noEmit: true,
	});
	const diagnostics = ts
		.getPreEmitDiagnostics(program)
		.map(
			(d) =>
				`${d.file ? path.basename(d.file.fileName) : ''}:${d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : ''} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
		);
	return diagnostics;
}

test('the public API types: columns, ForEach, decorator, evaluator, options', () => {
	assert.deepEqual(compile('typed-usage.ts'), []);
});

test('typed authoring: columns from the rows, declared fixtures, checked return type; each mistake is an error', () => {
	assert.deepEqual(compile('typed-authoring.ts'), []);
});
