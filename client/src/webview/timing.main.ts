/**
 * Browser entry of the timing panel (→ dist/webview/timing.js): one evaluation's timing, or the
 * comparison of experiments, whichever the host sends.
 */
import type { CompareView, TimingHostMessage, TimingView, TimingWebviewMessage } from '../panels/messages.js';
import { applyTheme, destroyCharts, drawComparison, drawHistogram, drawInFlight, drawWaterfall } from './charts.js';
import { h } from './dom.js';
import { renderCompareTable, renderPercentiles, renderStats, renderTimingHeader } from './timingRender.js';
import { connectToHost } from './vscodeApi.js';
import { waterfallPhases } from '../panels/timingData.js';

const WATERFALL_ROW_PX = 14;

const host = connectToHost<TimingWebviewMessage, TimingHostMessage>();
const root = document.getElementById('timing-root') as HTMLElement;

function canvas(id: string): HTMLCanvasElement {
	return h(document, 'canvas', { id, role: 'img' }) as HTMLCanvasElement;
}

/** A sized box for a responsive chart (chart.js fills its parent). */
function chartBox(title: string, canvasElement: HTMLCanvasElement, heightPx: number, extra?: HTMLElement): HTMLElement {
	const box = h(document, 'div', { class: 'chart-box' }, canvasElement);
	box.style.height = `${heightPx}px`;
	return h(document, 'section', { class: 'card' }, h(document, 'h2', {}, title), box, extra);
}

function showTiming(view: TimingView): void {
	const histogram = canvas('histogram-chart');
	const inFlight = canvas('inflight-chart');
	const waterfall = canvas('waterfall-chart');
	const waterfallBox = h(document, 'div', { class: 'chart-box' }, waterfall);
	// The legend, the axis and its title take about 110 px: the rows get their 14 px on top of that.
	waterfallBox.style.height = `${view.waterfall.length * WATERFALL_ROW_PX + 110}px`;
	const openResults = h(document, 'button', { type: 'button', id: 'open-results', class: 'secondary' }, 'Per-sample results');
	openResults.addEventListener('click', () => host.post({ type: 'openResults' }));
	const shown = view.waterfall.length < view.waterfallOf ? `first ${view.waterfall.length} of ${view.waterfallOf} samples` : `${view.waterfall.length} samples`;

	root.replaceChildren(
		h(document, 'div', { class: 'header-row' }, renderTimingHeader(document, view), openResults),
		renderStats(document, view),
		h(
			document,
			'div',
			{ class: 'grid' },
			chartBox('Latency histogram', histogram, 240, renderPercentiles(document, view)),
			chartBox('Samples in flight over time', inFlight, 240),
		),
		h(
			document,
			'section',
			{ class: 'card' },
			h(
				document,
				'h2',
				{},
				`Waterfall: ${waterfallPhases(view.waterfall)
					.map((p) => p.label)
					.join(', ')} (${shown})`,
			),
			h(document, 'div', { class: 'waterfall-scroll', id: 'waterfall' }, waterfallBox),
		),
	);
	drawHistogram(histogram, view.histogram);
	drawInFlight(inFlight, view.inFlight, view.maxConcurrency ?? undefined);
	drawWaterfall(waterfall, view.waterfall);
}

function showCompare(view: CompareView): void {
	const chart = canvas('compare-chart');
	const oneEach = new Set(view.runs.map((run) => run.experiment)).size === view.runs.length;
	const missing = view.missing.length
		? [h(document, 'div', { id: 'compare-missing', class: 'error', role: 'alert' }, `Not in the store: ${view.missing.join(', ')}`)]
		: [];
	root.replaceChildren(
		h(
			document,
			'header',
			{ class: 'panel-header' },
			h(document, 'h1', {}, 'Compare experiments'),
			h(
				document,
				'span',
				{ class: 'muted', id: 'compare-subject' },
				view.experiments.map((e, i) => `${e} (${(view.evaluations[i] ?? []).join(', ') || 'no evaluations'})`).join(' vs '),
			),
		),
		...missing,
		chartBox('Wall time and speedup', chart, 300),
		h(
			document,
			'section',
			{ class: 'card' },
			h(document, 'h2', {}, 'Metrics and timing (deltas against the first experiment)'),
			renderCompareTable(document, view),
		),
	);
	drawComparison(chart, view.runs, oneEach);
}

let shown: TimingHostMessage | undefined;

function render(message: TimingHostMessage): void {
	shown = message;
	if (message.type !== 'error') host.setState(message.restore);
	// Live runs re-render about once a second: keep the reader's place on the page and in the waterfall.
	const pageY = window.scrollY;
	const waterfallTop = document.getElementById('waterfall')?.scrollTop ?? 0;
	destroyCharts();
	applyTheme();
	if (message.type === 'timing') showTiming(message.view);
	else if (message.type === 'compare') showCompare(message.view);
	else root.replaceChildren(h(document, 'div', { id: 'timing-error', class: 'error', role: 'alert' }, message.message));
	root.dataset.mode = message.type === 'error' ? 'error' : message.type;
	root.dataset.ready = 'true';
	const waterfall = document.getElementById('waterfall');
	if (waterfall) waterfall.scrollTop = waterfallTop;
	window.scrollTo(0, pageY);
}

host.onMessage(render);
// VS Code marks a theme change on <body class="vscode-light|vscode-dark|…">; canvas colours are read at
// draw time, so redraw with the new theme's variables.
new MutationObserver(() => {
	if (shown) render(shown);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

host.post({ type: 'ready' });
