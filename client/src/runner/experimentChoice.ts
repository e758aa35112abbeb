/**
 * Which experiment an editor run writes into, and how (the experiment model, docs/extension.md):
 * - a plain run (lens, Test Explorer, Rerun Failed) goes into the workspace's editor experiment
 *   (`doteval.experiment`, default `current`) with `--rerun`: the samples it runs replace theirs, the
 *   others stay, so the headline is always the whole dataset with each sample's latest result;
 * - a run into a named experiment (*Run Eval in Experiment…*) and *Resume* use the CLI's resume
 *   semantics: samples already completed there are kept and skipped;
 * - *Run Again* on an experiment re-runs its evals into it, replacing (`--rerun`).
 * With the setting empty every plain run makes a new timestamped experiment, as `doteval run` does. Pure.
 */
export type ExperimentIntent =
	{ kind: 'editor' } | { kind: 'named'; experiment: string } | { kind: 'resume'; experiment: string } | { kind: 'again'; experiment: string };

export function experimentChoice(intent: ExperimentIntent, editorExperiment: string): { experiment?: string; rerun?: boolean } {
	switch (intent.kind) {
		case 'editor':
			return editorExperiment ? { experiment: editorExperiment, rerun: true } : {};
		case 'named':
		case 'resume':
			return { experiment: intent.experiment };
		case 'again':
			return { experiment: intent.experiment, rerun: true };
	}
}
