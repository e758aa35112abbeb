/**
 * `--reporter github`: GitHub Actions annotations on stdout (the runner reads workflow commands
 * there) when the run ends, and the markdown job summary appended to $GITHUB_STEP_SUMMARY (other
 * steps append to the same file). Paths in annotations are relative to $GITHUB_WORKSPACE, the
 * checkout, so GitHub puts them on the right line of the pull request's diff.
 */
import { appendFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Reporter } from './reporter.js';
import { createRunCollector } from './collect.js';
import { formatAnnotations, formatJobSummary } from './githubFormat.js';

export interface GithubReporterOptions {
	out: Writable;
	env: NodeJS.ProcessEnv;
	cwd: string;
}

export function createGithubReporter({ out, env, cwd }: GithubReporterOptions): Reporter {
	const collector = createRunCollector();
	const root = env.GITHUB_WORKSPACE || cwd;
	return {
		onEvent: collector.onEvent,
		close() {
			out.write(formatAnnotations(collector.record, root));
			if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, formatJobSummary(collector.record) + '\n');
		},
	};
}
