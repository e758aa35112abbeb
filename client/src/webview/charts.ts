/**
 * The timing panel's charts on chart.js (bundled, tree-shaken: only the controllers, elements and
 * scales used here are registered). Colours come from VS Code's theme variables so the charts
 * follow light, dark and high-contrast themes.
 */
import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	Legend,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	Tooltip,
	type ChartConfiguration,
} from 'chart.js';
import type { CompareRunView, HistogramBin, InFlightPoint, WaterfallPhase, WaterfallRow } from '../panels/messages.js';
import { waterfallLabel, waterfallPhases } from '../panels/timingData.js';
import { formatBin } from './format.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

function themeColor(variable: string, fallback: string): string {
	return getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;
}

export function applyTheme(): void {
	Chart.defaults.color = themeColor('--vscode-foreground', '#cccccc');
	Chart.defaults.borderColor = themeColor('--vscode-panel-border', 'rgba(128,128,128,0.35)');
	Chart.defaults.font.family = themeColor('--vscode-font-family', 'sans-serif');
	Chart.defaults.animation = false;
}

export const palette = {
	blue: () => themeColor('--vscode-charts-blue', '#3794ff'),
	green: () => themeColor('--vscode-charts-green', '#89d185'),
	red: () => themeColor('--vscode-charts-red', '#f14c4c'),
	yellow: () => themeColor('--vscode-charts-yellow', '#cca700'),
	orange: () => themeColor('--vscode-charts-orange', '#d18616'),
	purple: () => themeColor('--vscode-charts-purple', '#b180d7'),
};

const charts = new Map</* canvas id */ string, Chart>();

/** Replaces the chart on `canvas` (a re-render after a live update must not stack charts). */
function draw(canvas: HTMLCanvasElement, config: ChartConfiguration): Chart {
	charts.get(canvas.id)?.destroy();
	const chart = new Chart(canvas, config);
	charts.set(canvas.id, chart);
	return chart;
}

export function destroyCharts(): void {
	for (const chart of charts.values()) chart.destroy();
	charts.clear();
}

export function drawHistogram(canvas: HTMLCanvasElement, bins: HistogramBin[]): Chart {
	return draw(canvas, {
		type: 'bar',
		data: {
			labels: bins.map((bin) => formatBin(bin.fromMs, bin.toMs)),
			datasets: [{ label: 'samples', data: bins.map((bin) => bin.count), backgroundColor: palette.blue(), categoryPercentage: 1, barPercentage: 0.95 }],
		},
		options: {
			responsive: true,
			maintainAspectRatio: false,
			plugins: { legend: { display: false } },
			scales: {
				x: { title: { display: true, text: 'latency' } },
				y: { beginAtZero: true, title: { display: true, text: 'samples' }, ticks: { precision: 0 } },
			},
		},
	});
}

export function drawInFlight(canvas: HTMLCanvasElement, points: InFlightPoint[], limit: number | undefined): Chart {
	const seconds = points.map((p) => ({ x: p.t / 1000, y: p.inFlight }));
	const end = seconds.length ? seconds[seconds.length - 1].x : 0;
	const datasets: ChartConfiguration<'line'>['data']['datasets'] = [
		{ label: 'in flight', data: seconds, stepped: true, borderColor: palette.green(), pointRadius: 0, borderWidth: 2 },
	];
	if (limit)
		datasets.push({
			label: `limit (${limit})`,
			data: [
				{ x: 0, y: limit },
				{ x: end, y: limit },
			],
			borderColor: palette.orange(),
			borderDash: [6, 4],
			pointRadius: 0,
			borderWidth: 1,
		});
	return draw(canvas, {
		type: 'line',
		data: { datasets },
		options: {
			responsive: true,
			maintainAspectRatio: false,
			parsing: false,
			scales: {
				x: { type: 'linear', title: { display: true, text: 'seconds since the first sample was queued' } },
				y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'samples in flight' } },
			},
		},
	} as ChartConfiguration);
}

/** A colour per waterfall phase: waits warm (queue yellow, back-off red, budget orange), work cool. */
const phaseColors: Record<WaterfallPhase, () => string> = {
	queue: palette.yellow,
	backoff: palette.red,
	budget: palette.orange,
	run: palette.blue,
	judge: palette.purple,
};

export function drawWaterfall(canvas: HTMLCanvasElement, rows: WaterfallRow[]): Chart {
	const segment = (label: string, color: string, phase: WaterfallPhase) => ({
		label,
		data: rows.map((row) => row[phase].map((ms) => ms / 1000) as [number, number]),
		backgroundColor: color,
		grouped: false,
		barPercentage: 0.9,
		categoryPercentage: 1,
	});
	return draw(canvas, {
		type: 'bar',
		data: {
			labels: rows.map(waterfallLabel),
			datasets: waterfallPhases(rows).map(({ phase, label }) => segment(label, phaseColors[phase](), phase)),
		},
		options: {
			indexAxis: 'y',
			responsive: true,
			maintainAspectRatio: false,
			plugins: { legend: { position: 'top' } },
			scales: {
				x: { type: 'linear', position: 'top', beginAtZero: true, title: { display: true, text: 'seconds since the first sample was queued' } },
				y: { ticks: { autoSkip: false, font: { size: 10 } } },
			},
		},
	} as ChartConfiguration);
}

export function drawComparison(canvas: HTMLCanvasElement, runs: CompareRunView[], oneEach: boolean): Chart {
	return draw(canvas, {
		type: 'bar',
		data: {
			labels: runs.map((run) => (oneEach ? run.experiment : `${run.experiment} · ${run.name}`)),
			datasets: [
				{ label: 'wall time (s)', data: runs.map((run) => run.wallMs / 1000), backgroundColor: palette.blue(), yAxisID: 'wall' },
				{ label: 'speedup (×)', data: runs.map((run) => run.speedup), backgroundColor: palette.green(), yAxisID: 'speedup' },
			],
		},
		options: {
			responsive: true,
			maintainAspectRatio: false,
			scales: {
				wall: { type: 'linear', position: 'left', beginAtZero: true, title: { display: true, text: 'wall time (s)' } },
				speedup: {
					type: 'linear',
					position: 'right',
					beginAtZero: true,
					grid: { drawOnChartArea: false },
					title: { display: true, text: 'speedup over sequential (×)' },
				},
			},
		},
	});
}
