/**
 * What a file imports from doteval, and its top-level declarations: enough to resolve
 * `foreach`, `ForEach`, strategies, dataset loaders and `fixture` by name without a type checker.
 */
import { loadTypeScript, type TS } from './typescript';

export interface FileBindings {
	/** Local name → name exported by doteval (`fe` → `foreach` for `import { foreach as fe }`). */
	named: Map<string, string>;
	/** Local names bound to the whole module (`import * as dt from 'doteval'`, `const dt = require('doteval')`). */
	namespaces: Set<string>;
	/** Top-level `const x = …` initializers, for datasets, strategies and ForEach instances by name. */
	consts: Map<string, TS.Expression>;
	/** Top-level function declarations by name. */
	functions: Map<string, TS.FunctionDeclaration>;
	/** Local name → the name it is exported as (`export { x as y }`, `export default x`). */
	exportedAs: Map<string, string>;
}

export function isDotevalModule(specifier: string): boolean {
	return specifier === 'doteval' || specifier.startsWith('doteval/');
}

export function collectBindings(sf: TS.SourceFile): FileBindings {
	const ts = loadTypeScript();
	const b: FileBindings = { named: new Map(), namespaces: new Set(), consts: new Map(), functions: new Map(), exportedAs: new Map() };
	for (const statement of sf.statements) {
		if (ts.isImportDeclaration(statement)) {
			collectImport(ts, statement, b);
		} else if (ts.isVariableStatement(statement)) {
			for (const decl of statement.declarationList.declarations) {
				if (!decl.initializer) continue;
				if (ts.isIdentifier(decl.name)) b.consts.set(decl.name.text, decl.initializer);
				collectRequire(ts, decl, b);
			}
		} else if (ts.isFunctionDeclaration(statement) && statement.name) {
			b.functions.set(statement.name.text, statement);
		} else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
			for (const spec of statement.exportClause.elements) {
				const local = (spec.propertyName ?? spec.name).text;
				if (!b.exportedAs.has(local)) b.exportedAs.set(local, spec.name.text);
			}
		} else if (ts.isExportAssignment(statement) && !statement.isExportEquals && ts.isIdentifier(statement.expression)) {
			if (!b.exportedAs.has(statement.expression.text)) b.exportedAs.set(statement.expression.text, 'default');
		}
	}
	return b;
}

function collectImport(ts: typeof TS, statement: TS.ImportDeclaration, b: FileBindings): void {
	const clause = statement.importClause;
	if (!clause || clause.isTypeOnly || !ts.isStringLiteral(statement.moduleSpecifier)) return;
	if (!isDotevalModule(statement.moduleSpecifier.text)) return;
	const bindings = clause.namedBindings;
	if (bindings && ts.isNamespaceImport(bindings)) b.namespaces.add(bindings.name.text);
	if (bindings && ts.isNamedImports(bindings)) {
		for (const spec of bindings.elements) {
			if (!spec.isTypeOnly) b.named.set(spec.name.text, (spec.propertyName ?? spec.name).text);
		}
	}
}

/** CommonJS eval files: `const { foreach } = require('doteval')`, `const dt = require('doteval')`. */
function collectRequire(ts: typeof TS, decl: TS.VariableDeclaration, b: FileBindings): void {
	const init = decl.initializer;
	if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'require') return;
	const arg = init.arguments[0];
	if (!arg || !ts.isStringLiteral(arg) || !isDotevalModule(arg.text)) return;
	if (ts.isIdentifier(decl.name)) {
		b.namespaces.add(decl.name.text);
	} else if (ts.isObjectBindingPattern(decl.name)) {
		for (const el of decl.name.elements) {
			if (el.dotDotDotToken || !ts.isIdentifier(el.name)) continue;
			const imported = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
			b.named.set(el.name.text, imported);
		}
	}
}

/** The doteval export an expression refers to (`fe` → `foreach`, `dt.ForEach` → `ForEach`), if any. */
export function resolveImported(ts: typeof TS, expr: TS.Expression, b: FileBindings): string | undefined {
	if (ts.isIdentifier(expr)) return b.named.get(expr.text);
	if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression) && b.namespaces.has(expr.expression.text)) {
		return expr.name.text;
	}
	return undefined;
}

/** Strip parentheses, `as`, `satisfies` and `!`, which change nothing at run time. */
export function unwrap(ts: typeof TS, expr: TS.Expression): TS.Expression {
	let e = expr;
	while (
		ts.isParenthesizedExpression(e) ||
		ts.isAsExpression(e) ||
		ts.isSatisfiesExpression(e) ||
		ts.isNonNullExpression(e) ||
		ts.isTypeAssertionExpression(e)
	) {
		e = e.expression;
	}
	return e;
}
