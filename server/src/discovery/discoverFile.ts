/**
 * One parse of one file → every eval (with the extra facts the diagnostics need) and every fixture
 * it declares. Pure: file name and text in, data out; never throws on bad syntax (the TypeScript
 * parser always returns a tree, with error nodes where the text makes no sense).
 */
import type { EvalDefinition } from '../../../runtime/src/contracts/editorProtocol.js';
import { makeEvalId } from '../../../runtime/src/contracts/evalId.js';
import { collectBindings, resolveImported, unwrap, type FileBindings } from './bindings';
import {
	columnsOf,
	datasetOf,
	evalFunctionOf,
	isAsync,
	paramsOf,
	strategyOfOptions,
	type EvalFunction,
	type ParamFacts,
	type RowFacts,
	type StrategyFacts,
} from './extract';
import { hasExport, isDynamicContext, nameOfCall } from './naming';
import { lineOf, rangeOf } from './ranges';
import { CandidatePositions } from './candidates';
import { loadTypeScript, parse, type TS } from './typescript';

export interface EvalFacts {
	definition: EvalDefinition;
	/** Names destructured by the eval function; null when not a plain destructuring. */
	readonly params: ParamFacts[] | null;
	/** Rows of an inline dataset, for the column-count diagnostic. */
	readonly rows: RowFacts[];
	readonly strategy: StrategyFacts | null;
	/** The eval function was found (inline or by name in this file), so `async` is certain. */
	readonly fnResolved: boolean;
	/** Unexported and anonymous: named here after its variable (or line), but the runtime skips it. */
	readonly staticOnly: boolean;
}

export interface FileFacts {
	evals: EvalFacts[];
	/** Names declared with `fixture("name", …)` in this file. */
	fixtures: string[];
}

const walkedExports = new Set(['foreach', 'ForEach', 'batch', 'fixture']);

const empty = (): FileFacts => ({ evals: [], fixtures: [] });

export function discoverFile(fileName: string, text: string, projectRoot: string): FileFacts {
	const ts = loadTypeScript();
	const sf = parse(fileName, text);
	const b = collectBindings(sf);
	if (b.named.size === 0 && b.namespaces.size === 0) return empty();
	return new Walker(ts, sf, b, fileName, projectRoot).run();
}

class Walker {
	private readonly facts = empty();
	private readonly ancestors: TS.Node[] = [];
	/** ForEach instances: local name → the strategy given to `new ForEach(...)`. */
	private readonly instances = new Map<string, StrategyFacts | null>();
	private readonly candidates: CandidatePositions;
	/** `<path relative to the project root>::`, computed once per file (path functions are not free). */
	private readonly idPrefix: string;

	constructor(
		private readonly ts: typeof TS,
		private readonly sf: TS.SourceFile,
		private readonly b: FileBindings,
		private readonly fileName: string,
		projectRoot: string,
	) {
		this.idPrefix = makeEvalId(projectRoot, fileName, '');
		for (const [name, init] of b.consts) this.noteInstance(name, init);
		// Only names that can start an eval or a fixture; Result, evaluators, loaders do not.
		const starters = [...b.named].filter(([, imported]) => walkedExports.has(imported)).map(([local]) => local);
		this.candidates = new CandidatePositions(sf.text, [...starters, ...b.namespaces, ...this.instances.keys()]);
	}

	run(): FileFacts {
		this.visit(this.sf);
		return this.facts;
	}

	private visit(node: TS.Node): void {
		const ts = this.ts;
		if (ts.isCallExpression(node)) this.onCall(node);
		else if (ts.isMethodDeclaration(node)) this.onMethod(node);
		else if (
			ts.isVariableDeclaration(node) &&
			node.initializer &&
			ts.isIdentifier(node.name) &&
			!this.instances.has(node.name.text) &&
			this.noteInstance(node.name.text, node.initializer)
		) {
			this.candidates.add(node.name.text);
		}
		this.ancestors.push(node);
		// Only descend where a doteval name occurs: most of a file is never walked.
		ts.forEachChild(node, (child) => {
			if (this.candidates.within(child.pos, child.end)) this.visit(child);
		});
		this.ancestors.pop();
	}

	/** `const fc = new ForEach(...)`: remember fc as a foreach with that strategy. */
	private noteInstance(name: string, init: TS.Expression): boolean {
		const e = unwrap(this.ts, init);
		if (!this.ts.isNewExpression(e) || resolveImported(this.ts, e.expression, this.b) !== 'ForEach') return false;
		this.instances.set(name, strategyOfOptions(this.ts, this.sf, e.arguments?.[0], this.b));
		return true;
	}

	/** Is `callee(columns, dataset, options?)` a foreach? Returns the strategy it implies. */
	private foreachStrategy(inner: TS.CallExpression): { strategy: StrategyFacts | null } | undefined {
		const ts = this.ts;
		const callee = unwrap(ts, inner.expression);
		// Per-call options override the instance's (runtime/src/core/foreach.ts mergeOptions).
		const perCall = strategyOfOptions(ts, this.sf, inner.arguments[2], this.b);
		// batch(columns, dataset, { batchSize, concurrency })(fn) is an eval like foreach's.
		const imported = resolveImported(ts, callee, this.b);
		if (imported === 'foreach' || imported === 'batch') return { strategy: perCall };
		if (ts.isIdentifier(callee) && this.instances.has(callee.text)) return { strategy: perCall ?? this.instances.get(callee.text) ?? null };
		if (ts.isNewExpression(callee) && resolveImported(ts, callee.expression, this.b) === 'ForEach') {
			return { strategy: perCall ?? strategyOfOptions(ts, this.sf, callee.arguments?.[0], this.b) };
		}
		return undefined;
	}

	private onCall(call: TS.CallExpression): void {
		const ts = this.ts;
		if (resolveImported(ts, call.expression, this.b) === 'fixture') {
			const first = call.arguments[0] && unwrap(ts, call.arguments[0]);
			if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) this.facts.fixtures.push(first.text);
			return;
		}
		const inner = unwrap(ts, call.expression);
		if (!ts.isCallExpression(inner)) return;
		const kind = this.foreachStrategy(inner);
		if (!kind) return;
		const fnArg = call.arguments[0];
		const fn = evalFunctionOf(ts, fnArg, this.b);
		const named = nameOfCall(ts, call, this.ancestors, fnArg, fn, this.b);
		this.add(
			call,
			inner,
			fn,
			kind.strategy,
			named.name,
			named.node ?? inner.expression,
			named.exported,
			isDynamicContext(ts, this.ancestors),
			named.staticOnly === true,
		);
	}

	private onMethod(method: TS.MethodDeclaration): void {
		const ts = this.ts;
		for (const modifier of method.modifiers ?? []) {
			if (!ts.isDecorator(modifier)) continue;
			const inner = unwrap(ts, modifier.expression);
			if (!ts.isCallExpression(inner)) continue;
			const kind = this.foreachStrategy(inner);
			if (!kind) continue;
			const key = method.name;
			const name = ts.isIdentifier(key) || ts.isStringLiteral(key) || ts.isPrivateIdentifier(key) || ts.isNumericLiteral(key) ? key.text : undefined;
			const cls = this.ancestors[this.ancestors.length - 1];
			const exported = !!cls && ts.isClassDeclaration(cls) && (hasExport(ts, cls) || (!!cls.name && this.b.exportedAs.has(cls.name.text)));
			this.add(method, inner, method, kind.strategy, name, key, exported, isDynamicContext(ts, this.ancestors), name === undefined);
		}
	}

	private add(
		node: TS.Node,
		inner: TS.CallExpression,
		fn: EvalFunction | undefined,
		strategy: StrategyFacts | null,
		name: string | undefined,
		nameNode: TS.Node,
		exported: boolean,
		dynamic: boolean,
		staticOnly: boolean,
	): void {
		const ts = this.ts;
		const line = lineOf(this.sf, inner);
		// Placeholders for evals known only at run time, and for anonymous ones the runtime cannot name.
		const finalName = dynamic ? `dynamic@${line}` : (name ?? `anonymous@${line}`);
		const dataset = datasetOf(ts, this.sf, inner.arguments[1], this.b);
		this.facts.evals.push(
			new LazyEvalFacts(
				{
					id: this.idPrefix + finalName,
					name: finalName,
					file: this.fileName,
					range: rangeOf(this.sf, node),
					nameRange: rangeOf(this.sf, nameNode),
					columns: columnsOf(ts, inner.arguments[0]),
					dataset: dataset.info,
					strategy: strategy ? strategyInfo(strategy) : null,
					async: isAsync(ts, fn),
					dynamic,
					exported: exported && !dynamic,
				},
				strategy,
				fn !== undefined,
				!dynamic && (staticOnly || name === undefined),
				() => paramsOf(ts, this.sf, fn),
				dataset.rows,
			),
		);
	}
}

/** Params and rows serve only diagnostics: computed on first use, so indexing never pays for them. */
class LazyEvalFacts implements EvalFacts {
	private paramsMemo: ParamFacts[] | null | undefined;
	private rowsMemo: RowFacts[] | undefined;

	constructor(
		readonly definition: EvalDefinition,
		readonly strategy: StrategyFacts | null,
		readonly fnResolved: boolean,
		readonly staticOnly: boolean,
		private readonly computeParams: () => ParamFacts[] | null,
		private readonly computeRows: () => RowFacts[],
	) {}

	get params(): ParamFacts[] | null {
		if (this.paramsMemo === undefined) this.paramsMemo = this.computeParams();
		return this.paramsMemo;
	}

	get rows(): RowFacts[] {
		return (this.rowsMemo ??= this.computeRows());
	}
}

function strategyInfo(s: StrategyFacts): EvalDefinition['strategy'] {
	return s.maxConcurrency === undefined ? { name: s.name } : { name: s.name, maxConcurrency: s.maxConcurrency };
}
