/**
 * The run's budgets, one per provider and key. Kept on globalThis (Symbol.for) so that the eval file's
 * copy of `doteval/models` and the CLI's copy share them, and every eval and judge of the run meets
 * the same budget. The key is hashed: neither the budget's name nor any report contains it.
 */
import { createHash } from 'node:crypto';
import { Budget, type BudgetLimits } from './budget.js';

const KEY = Symbol.for('doteval.models.budgets');

function budgets(): Map<string, Budget> {
	const g = globalThis as { [KEY]?: Map<string, Budget> };
	g[KEY] ??= new Map();
	return g[KEY];
}

/** A short, one-way tag of an API key: tells keys apart without revealing them. */
export function keyTag(apiKey: string | undefined): string {
	if (!apiKey) return 'no-key';
	return createHash('sha256').update(apiKey).digest('hex').slice(0, 8);
}

export function budgetFor(provider: string, apiKey: string | undefined, limits?: BudgetLimits): Budget {
	const name = `${provider}#${keyTag(apiKey)}`;
	let budget = budgets().get(name);
	if (!budget) {
		budget = new Budget(name, limits);
		budgets().set(name, budget);
	} else if (limits) budget.configure(limits);
	return budget;
}

/** Every budget of the run (for reports and tests). */
export function allBudgets(): Budget[] {
	return [...budgets().values()];
}

/** Forget every budget: a new run (tests, or a long-lived process running several runs). */
export function resetBudgets(): void {
	budgets().clear();
}
