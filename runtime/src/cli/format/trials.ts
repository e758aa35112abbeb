/** The trials lines of `doteval show` and `doteval diff`: pass@k, pass^k and the unstable rows. */
import type { TrialsSummary } from '../../protocol/events.js';

const pct = (share: number): string => `${(100 * share).toFixed(1)}%`;

export function formatTrialsSummary(t: TrialsSummary): string[] {
	const lines = [
		`  Trials    ${t.k} per row · pass@${t.k} ${pct(t.passAtK)} · pass^${t.k} ${pct(t.passHatK)} · pass@1 ${pct(t.passAt1)} (over ${t.rows} row${t.rows === 1 ? '' : 's'})`,
	];
	const extra: string[] = [];
	if (t.unstable > 0)
		extra.push(
			`${t.unstable} unstable row${t.unstable === 1 ? '' : 's'} (some trials pass, some fail): #${t.unstableIndexes.join(', #')}${t.unstable > t.unstableIndexes.length ? ', …' : ''}`,
		);
	else extra.push('no unstable row');
	if (t.incomplete > 0) extra.push(`${t.incomplete} row${t.incomplete === 1 ? '' : 's'} with fewer than ${t.k} trials stored (not rated; resume to run them)`);
	lines.push(`            ${extra.join(' · ')}`);
	return lines;
}

/** `doteval diff`: each side's pass@k, pass^k and unstable rows (a side without trials shows —). */
export function formatTrialsDiff(a: TrialsSummary | null, b: TrialsSummary | null): string[] {
	const side = (t: TrialsSummary | null, pick: (t: TrialsSummary) => number) => (t ? pct(pick(t)) : '—');
	const k = (t: TrialsSummary | null) => (t ? String(t.k) : '1');
	const line = (label: string, pick: (t: TrialsSummary) => number) => `    ${label.padEnd(9)} ${side(a, pick).padStart(6)} → ${side(b, pick).padStart(6)}`;
	const unstable = (t: TrialsSummary | null) =>
		t ? `${t.unstable}${t.unstableIndexes.length ? ` (#${t.unstableIndexes.slice(0, 10).join(', #')}${t.unstable > 10 ? ', …' : ''})` : ''}` : '—';
	return [
		`  Trials   ${k(a)} per row → ${k(b)} per row`,
		line('pass@k', (t) => t.passAtK),
		line('pass^k', (t) => t.passHatK),
		line('pass@1', (t) => t.passAt1),
		`    unstable  ${unstable(a)} → ${unstable(b)}`,
	];
}
