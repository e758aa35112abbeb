import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { discoverEvals } from '../../server/src/discovery/index';
import { quickScan } from '../../server/src/discovery/quickScan';
import { evalFileText } from './corpus';
import { file, root } from './helpers';

const examples = path.resolve(import.meta.dirname, '../../examples');
const lensView = (evals: { id: string; file: string; dynamic: boolean; range: { start: unknown } }[]) =>
	evals.map((e) => ({ id: e.id, file: e.file, dynamic: e.dynamic, start: e.range.start }));

test('where the text scan is sure, its lenses are exactly where the parse puts them (the examples and a generated corpus)', () => {
	const sources = [
		...readdirSync(examples)
			.filter((f) => f.startsWith('eval_'))
			.map((f) => ({ name: path.join(examples, f), text: readFileSync(path.join(examples, f), 'utf8') })),
		...Array.from({ length: 30 }, (_, i) => ({ name: path.join(root, `gen${i}.eval.ts`), text: evalFileText(i) })),
	];
	let sure = 0;
	for (const { name, text } of sources) {
		const quick = quickScan(name, text, name.startsWith(examples) ? examples : root);
		if (!quick) continue;
		sure++;
		assert.deepEqual(lensView(quick), lensView(discoverEvals(name, text, name.startsWith(examples) ? examples : root)), name);
	}
	// The tutorial's files are the plain shape: the first lens of each comes without the compiler.
	assert.ok(
		quickScan(path.join(examples, 'eval_concurrent_sentiment.ts'), readFileSync(path.join(examples, 'eval_concurrent_sentiment.ts'), 'utf8'), examples),
	);
	assert.ok(sure >= 3, `the scan was sure of only ${sure} files`);
});

test('the text scan is not sure of any other shape: the parse answers those', () => {
	const unsure = {
		aliased: `import { foreach as fe } from 'doteval';\nexport const evalA = fe('a', [[1]])(({ a }) => a);\n`,
		namespace: `import * as d from 'doteval';\nexport const evalA = d.foreach('a', [[1]])(({ a }) => a);\n`,
		'a second import': `import { foreach } from 'doteval';\nimport { Result } from 'doteval';\nexport const evalA = foreach('a', [[1]])(({ a }) => a);\n`,
		'foreach in a comment': `import { foreach } from 'doteval';\n// export const evalB = foreach('a', [[1]])(() => 1);\nexport const evalA = foreach('a', [[1]])(({ a }) => a);\n`,
		'inside a block comment': `import { foreach } from 'doteval';\n/*\nexport const evalB = foreach('a', [[1]])(() => 1);\n*/\n`,
		'made in a loop': `import { foreach } from 'doteval';\nfor (const n of [1, 2]) {\n\tfoo(foreach('a', [[n]])(({ a }) => a));\n}\n`,
		'inside a template literal': `import { foreach } from 'doteval';\nconst doc = \`\nexport const evalB = foreach('a', [[1]])(() => 1);\n\`;\n`,
		indented: `import { foreach } from 'doteval';\nnamespace x {\n  export const evalA = foreach('a', [[1]])(({ a }) => a);\n}\n`,
		batch: `import { batch, foreach } from 'doteval';\nexport const evalA = foreach('a', [[1]])(({ a }) => a);\nexport const evalB = batch('a', [[1]])(() => []);\n`,
		'ForEach used elsewhere': `import { ForEach } from 'doteval';\nconst make = () => new ForEach();\nexport const evalA = make()('a', [[1]])(({ a }) => a);\n`,
		require: `const { foreach } = require('doteval');\nexport const evalA = foreach('a', [[1]])(({ a }) => a);\n`,
	};
	for (const [shape, src] of Object.entries(unsure)) assert.equal(quickScan(file, src, root), undefined, shape);
});

test('a plain file: one lens target per exported eval, at the call', () => {
	const src = `import { foreach, Result } from 'doteval';\n\nexport const evalA = foreach('a', [[1]])(({ a }) => new Result());\n`;
	assert.deepEqual(quickScan(file, src, root), [{ id: 'evals/sentiment.eval.ts::evalA', file, dynamic: false, range: { start: { line: 2, character: 21 } } }]);
});
