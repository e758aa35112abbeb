// Speed figures the e2e suite measures in a real VS Code (first lens, lens lag), kept in
// test-results/e2e/figures.json for `npm run bench` (bench/activation.mjs reports them beside its own
// rows). Each figure keeps every measurement of the run, with the machine's load when it was taken.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { artifactsDir } from './ui.mjs';

export const figuresFile = path.join(artifactsDir, 'figures.json');

/** Add one measurement of `name` (in ms) with a note saying what it spans. */
export function recordFigure(name, ms, note) {
	const all = existsSync(figuresFile) ? JSON.parse(readFileSync(figuresFile, 'utf8')) : {};
	(all[name] ??= []).push({ ms, note, at: new Date().toISOString(), load1: os.loadavg()[0] });
	mkdirSync(artifactsDir, { recursive: true });
	writeFileSync(figuresFile, JSON.stringify(all, null, '\t') + '\n');
}
