/**
 * `--reporter pretty` (the default). On a terminal, a live line per running evaluation, redrawn at
 * most 10 times a second; not on a terminal, no animation. Every evaluation ends with its summary.
 */
import type { Writable } from 'node:stream';
import type { EvalStartEvent, RunEvent } from '../protocol/events.js';
import type { Logger } from '../cli/logger.js';
import type { Reporter } from './reporter.js';
import { formatEvalSummary, formatLiveLine, formatLoadError, formatRunStart, type LiveProgress } from './prettyFormat.js';

const redrawIntervalMs = 100;

export interface PrettyOptions {
	out: Writable;
	isTTY: boolean;
	/** The logger, so log lines written during a live display clear it first. */
	logger?: Logger;
	now?: () => number;
}

export function createPrettyReporter({ out, isTTY, logger, now = () => performance.now() }: PrettyOptions): Reporter {
	const starts = new Map<string, EvalStartEvent>();
	const live = new Map<string, LiveProgress>();
	let drawnLines = 0;
	let dirty = false;
	let timer: NodeJS.Timeout | undefined;

	const clear = () => {
		if (drawnLines > 0) out.write(`\x1b[${drawnLines}A\x1b[0J`);
		drawnLines = 0;
	};
	const draw = () => {
		dirty = false;
		clear();
		const columns = (out as { columns?: number }).columns;
		const width = columns && columns > 20 ? columns : 120; // some terminals report 0 columns
		for (const progress of live.values()) out.write(formatLiveLine(progress, now()).slice(0, width - 1) + '\n');
		drawnLines = live.size;
	};
	/** Print text above the live lines. */
	const print = (text: string) => {
		if (!text) return;
		if (isTTY) clear();
		out.write(text);
		if (isTTY) draw();
	};

	if (isTTY) {
		timer = setInterval(() => {
			if (dirty || live.size) draw();
		}, redrawIntervalMs);
		timer.unref();
		logger?.setInterceptor((write) => {
			clear();
			write();
			draw();
		});
	}

	return {
		onEvent(event: RunEvent) {
			switch (event.type) {
				case 'run-start':
					print(formatRunStart(event));
					break;
				case 'eval-start':
					starts.set(event.evalId, event);
					live.set(event.evalId, {
						label: event.name,
						total: event.total,
						alreadyDone: event.alreadyDone,
						doneNow: 0,
						errors: 0,
						passed: 0,
						judged: 0,
						startedMs: now(),
					});
					dirty = true;
					break;
				case 'sample-end': {
					const progress = live.get(event.evalId);
					if (!progress) break;
					progress.doneNow++;
					if (event.error) progress.errors++;
					if (event.passed !== null) {
						progress.judged++;
						if (event.passed) progress.passed++;
					}
					dirty = true;
					break;
				}
				case 'eval-progress': {
					const progress = live.get(event.evalId);
					if (!progress) break;
					progress.shared = { stored: event.stored, errors: event.errors };
					dirty = true;
					break;
				}
				case 'eval-end':
					live.delete(event.evalId);
					print(formatEvalSummary(event, starts.get(event.evalId)) + '\n');
					break;
				case 'load-error':
					print(formatLoadError(event));
					break;
				case 'run-end':
				case 'sample-start':
					break;
			}
		},
		close() {
			if (timer) clearInterval(timer);
			if (isTTY) {
				clear();
				logger?.setInterceptor(undefined);
			}
		},
	};
}
