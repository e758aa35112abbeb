/** `--reporter junit:FILE`: the JUnit XML of the run (junitFormat.ts), written when the run ends. */
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import type { Reporter } from './reporter.js';
import { createRunCollector } from './collect.js';
import { formatJunit } from './junitFormat.js';

export function createJunitReporter(file: string, root: string): Reporter {
	const collector = createRunCollector();
	return {
		onEvent: collector.onEvent,
		close() {
			mkdirSync(path.dirname(file), { recursive: true });
			// Whole or not at all: a CI step reading a half-written file would report a parse error.
			const temporary = `${file}.${process.pid}.tmp`;
			writeFileSync(temporary, formatJunit(collector.record, { root }));
			renameSync(temporary, file);
		},
	};
}
