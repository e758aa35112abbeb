/** Fixture set-up for one evaluation: which names it needs, eval/run-scoped values up front, sample-scoped per sample. */
import type { EvalDefinitionRuntime } from '../core/types.js';
import { registryState } from '../core/registry.js';
import { visibleFixtures } from '../fixtures/visibility.js';
import { FixtureError, FixtureResolver } from '../fixtures/resolver.js';
import { ScopeCache } from '../fixtures/scope.js';
import type { FixtureDefinition } from '../fixtures/types.js';

export interface EvalFixtures {
	/** Eval- and run-scoped values, already set up. */
	shared: Record<string, unknown>;
	/** `shared` has at least one value (else the columns object is passed to the eval as it is). */
	hasShared: boolean;
	/** Sample-scoped fixture names to set up for each sample. */
	perSample: string[];
	resolver: FixtureResolver;
	evalCache: ScopeCache;
}

/** Throws FixtureError when the eval asks for an unknown name or a fixture fails to set up. */
export async function setUpEvalFixtures(def: EvalDefinitionRuntime, runCache: ScopeCache, label: string): Promise<EvalFixtures> {
	const file = def.definedAt?.file ?? null;
	const visible = visibleFixtures(file, registryState().fixtures);
	const columns = new Set(def.columns);
	let names: string[];
	if (def.requested) {
		names = [];
		const missing: string[] = [];
		for (const name of def.requested.names) {
			if (columns.has(name)) continue;
			if (visible.has(name)) names.push(name);
			else if (!def.requested.optional.includes(name)) missing.push(name);
		}
		if (missing.length > 0) {
			const known = [...visible.keys()];
			throw new FixtureError(
				`eval ${label} asks for ${missing.map((m) => `'${m}'`).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} neither a column (${def.columns.join(', ')}) nor a fixture visible from ${file ?? 'its file'}` +
					`${known.length ? ` (visible fixtures: ${known.join(', ')})` : ''}; add the column, or define fixture('${missing[0]}', ...) in the eval's file or in a doteval.fixtures.ts next to it`,
			);
		}
	} else names = [...visible.keys()].filter((n) => !columns.has(n));
	const evalCache = new ScopeCache();
	const resolver = new FixtureResolver(visible, { run: runCache, eval: evalCache }, file ?? 'the eval file');
	const shared: Record<string, unknown> = {};
	const perSample: string[] = [];
	try {
		for (const name of names) {
			const fixture = visible.get(name) as FixtureDefinition;
			if (fixture.scope === 'sample') perSample.push(name);
			else shared[name] = await resolver.get(name);
		}
	} catch (error) {
		await evalCache.teardown();
		throw error;
	}
	return { shared, hasShared: Object.keys(shared).length > 0, perSample, resolver, evalCache };
}
