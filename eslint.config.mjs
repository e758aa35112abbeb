// ESLint: the recommended rules of ESLint and typescript-eslint, plus the type-aware promise rules
// (a promise nobody awaits loses its errors; a promise where a void callback is expected runs
// unobserved). Formatting is Prettier's job (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
	{
		ignores: [
			'**/dist/**',
			'**/node_modules/**',
			'bench/results/**',
			'bench/peers/**',
			'bench/models/*.eval.ts' /* a workload doteval runs, typed against the built package */,
			'test/e2e/fixtures/**',
			'test/runtime/fixtures/**',
			'test-results/**',
			'.vscode-test/**',
		],
	},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		languageOptions: { globals: { ...globals.node } },
		rules: {
			// `any` is deliberate at a few boundaries (user code, JSON); the types of the API are pinned by type tests.
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
			// Matching ANSI escapes and control characters (to strip or escape them) is what those regexes are for.
			'no-control-regex': 'off',
		},
	},
	{
		files: ['**/*.ts'],
		languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
		rules: {
			// node:test's test()/describe() return promises the runner itself awaits.
			'@typescript-eslint/no-floating-promises': [
				'error',
				{ allowForKnownSafeCalls: [{ from: 'package', name: ['test', 'describe', 'it', 'suite'], package: 'node:test' }] },
			],
			'@typescript-eslint/no-misused-promises': 'error',
		},
	},
	{
		// LSP-style request/notification types (`namespace X { export const type = … }`), as vscode-languageserver declares them.
		files: ['runtime/src/contracts/editorProtocol.ts'],
		rules: { '@typescript-eslint/no-namespace': 'off' },
	},
	{
		// Callbacks of page.evaluate() run in the browser.
		files: ['client/src/webview/**', 'test/e2e/**'],
		languageOptions: { globals: { ...globals.browser } },
	},
);
