/**
 * How an eval is named, the same way the runtime names it: the exported binding name, else the
 * function's own name, else (statically only) the unexported variable it is assigned to.
 */
import { unwrap, type FileBindings } from './bindings';
import type { EvalFunction } from './extract';
import type { TS } from './typescript';

export interface EvalName {
	name: string | undefined;
	/** The identifier (or keyword) the name comes from, for `nameRange`. */
	node: TS.Node | undefined;
	exported: boolean;
	/** Only the static analysis can name it: the runtime skips an unexported anonymous eval. */
	staticOnly?: boolean;
}

/**
 * `call` is the `foreach(...)(fn)` call; `ancestors` its parents, nearest last.
 * `fnArg` is the argument as written (an inline function or an identifier).
 */
export function nameOfCall(
	ts: typeof TS,
	call: TS.Node,
	ancestors: readonly TS.Node[],
	fnArg: TS.Expression | undefined,
	fn: EvalFunction | undefined,
	b: FileBindings,
): EvalName {
	// Climb through wrappers that do not change the value: (x), x as T, x satisfies T, x!.
	let child: TS.Node = call;
	let i = ancestors.length - 1;
	while (i >= 0 && isTransparent(ts, ancestors[i]!)) child = ancestors[i--]!;
	const parent = ancestors[i];
	let binding: TS.Identifier | undefined;
	if (parent && ts.isVariableDeclaration(parent) && parent.initializer === child && ts.isIdentifier(parent.name)) {
		binding = parent.name;
		const statement = ancestors[i - 2];
		const exportedDirectly = !!statement && ts.isVariableStatement(statement) && hasExport(ts, statement);
		if (exportedDirectly) return { name: binding.text, node: binding, exported: true };
		const alias = b.exportedAs.get(binding.text);
		// The runtime names a default export by the function's own name when it has one.
		if (alias && i === 3) return { name: alias === 'default' ? (ownName(ts, fnArg, fn)?.text ?? 'default') : alias, node: binding, exported: true };
	}
	const own = ownName(ts, fnArg, fn);
	if (parent && ts.isExportAssignment(parent) && !parent.isExportEquals) {
		return { name: own?.text ?? 'default', node: own, exported: true };
	}
	if (own) return { name: own.text, node: binding ?? own, exported: false };
	return { name: binding?.text, node: binding, exported: false, staticOnly: true };
}

function ownName(ts: typeof TS, fnArg: TS.Expression | undefined, fn: EvalFunction | undefined): TS.Identifier | undefined {
	const arg = fnArg && unwrap(ts, fnArg);
	if (arg && ts.isIdentifier(arg)) return arg;
	if (fn && ts.isFunctionExpression(fn) && fn.name) return fn.name;
	return undefined;
}

function isTransparent(ts: typeof TS, node: TS.Node): boolean {
	return (
		ts.isParenthesizedExpression(node) ||
		ts.isAsExpression(node) ||
		ts.isSatisfiesExpression(node) ||
		ts.isNonNullExpression(node) ||
		ts.isTypeAssertionExpression(node)
	);
}

export function hasExport(ts: typeof TS, node: TS.Node): boolean {
	return !!(ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
}

/** Made in a loop or inside a function (a factory, a `.map` callback): known only at run time. */
export function isDynamicContext(ts: typeof TS, ancestors: readonly TS.Node[]): boolean {
	return ancestors.some((n) => ts.isFunctionLike(n) || ts.isIterationStatement(n, false) || ts.isClassStaticBlockDeclaration(n));
}
