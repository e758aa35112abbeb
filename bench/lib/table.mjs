// Rows of the one results table, their formatting (markdown for the terminal, latest.md and
// BENCHMARKS.md) and PASS/MISS from each row's goal. Nothing here invents a figure: a row without
// measurements says "not measured: <why>".
import { summarize, pairedRatio } from './stats.mjs';

function num(v) {
	if (!Number.isFinite(v)) return '—';
	const a = Math.abs(v);
	const digits = a >= 1000 ? 0 : a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
	return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function fmtStat(s) {
	if (!s || !Number.isFinite(s.median)) return '—';
	const unit = s.unit ? ` ${s.unit}` : '';
	if (s.n <= 1 || s.min === s.max) return `${num(s.median)}${unit}`;
	return `${num(s.median)}${unit} (${num(s.min)}–${num(s.max)})`;
}

export function fmtRatio(r) {
	if (!r || !Number.isFinite(r.median)) return '—';
	if (r.n <= 1 || r.min === r.max) return `${num(r.median)}×`;
	return `${num(r.median)}× (${num(r.min)}–${num(r.max)})`;
}

function status(row) {
	if (row.notMeasured) return 'not measured';
	if (!row.goal) return '';
	const value = row.goal.on === 'figure' ? row.figure?.median : row.ratio?.median;
	if (!Number.isFinite(value)) return '';
	const ok = row.goal.op === '<=' ? value <= row.goal.value : value >= row.goal.value;
	return ok ? 'PASS' : 'MISS';
}

/** The helpers every benchmark gets in its ctx. */
export const rowHelpers = {
	series(values, unit) {
		return { ...summarize(values), unit };
	},
	paired(a, b) {
		return pairedRatio(a, b);
	},
	fmtSeries(values, unit) {
		return fmtStat({ ...summarize(values), unit });
	},
	row(r) {
		const row = { figure: null, baseline: null, ratio: null, goal: null, note: '', ...r };
		row.status = status(row);
		return row;
	},
	notMeasured(group, name, why, goalText) {
		return { group, name, notMeasured: true, note: `not measured: ${why}`, goal: goalText ? { text: goalText } : null, status: 'not measured' };
	},
};

export function toMarkdown(rows) {
	const head = '| benchmark | measured | baseline / peer | ratio | goal | result | other load | notes |\n|---|---|---|---|---|---|---|---|';
	const lines = rows.map((r) => {
		const other = r.otherCores && Number.isFinite(r.otherCores.max) ? `≤ ${r.otherCores.max.toFixed(2)} cores` : '';
		const base = r.baseline ? `${r.baselineLabel ? `${r.baselineLabel}: ` : ''}${fmtStat(r.baseline)}` : '';
		const cells = [
			`${r.group}: ${r.name}`,
			r.notMeasured ? '—' : fmtStat(r.figure),
			base,
			r.notMeasured ? '—' : fmtRatio(r.ratio),
			r.goal?.text ?? '',
			r.status ? (r.status === 'PASS' || r.status === 'MISS' ? `**${r.status}**` : r.status) : '',
			other,
			r.note ?? '',
		];
		return `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
	});
	return [head, ...lines].join('\n');
}

/** The short table for docs/benchmarks.md: only rows with a goal, their ratio or figure, and PASS/MISS. */
export function toSummary(rows) {
	const head = '| benchmark | result | goal | |\n|---|---|---|---|';
	const lines = rows
		.filter((r) => r.goal)
		.map((r) => {
			const value = r.notMeasured ? r.note : r.goal.on === 'figure' ? fmtStat(r.figure) : fmtRatio(r.ratio);
			return `| ${[`${r.group}: ${r.name}`, value, r.goal.text ?? '', r.status === 'PASS' || r.status === 'MISS' ? `**${r.status}**` : r.status]
				.map((c) => String(c).replace(/\|/g, '\\|'))
				.join(' | ')} |`;
		});
	return [head, ...lines].join('\n');
}
