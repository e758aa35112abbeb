/**
 * `doteval export --format sqlite`: chosen experiments into ONE ordinary SQLite file (the schema of
 * an evaluation's file, with every chosen evaluation and its samples in it), for ad-hoc SQL across
 * experiments without ATTACH. Read through the StoreReader interface, so it works for every backend.
 * Each evaluation is written as one run spanning its stored samples (the per-run history of resumes
 * stays in the store).
 */
import { randomUUID } from 'node:crypto';
import type { StoreReader } from './types.js';
import { Applier } from './apply.js';
import { loadSqlJs } from './sqljs.js';
import { emptyDatabase, replaceFileAtomically } from './file.js';
import { asStoreError } from './checkpoint.js';

export async function exportToSqlite(reader: StoreReader, experiments: string[], output: string): Promise<{ samples: number }> {
	const SQL = await loadSqlJs();
	const db = emptyDatabase(SQL);
	let samples = 0;
	try {
		const applier = new Applier(db);
		const known = new Map((await reader.listExperiments()).map((e) => [e.name, e]));
		db.exec('BEGIN');
		for (const name of experiments) {
			const experiment = known.get(name)!;
			for (const evaluation of await reader.listEvaluations(name)) {
				const run = randomUUID();
				applier.apply({
					t: 'begin',
					run,
					pid: 0,
					at: evaluation.startedAt,
					experiment: name,
					ephemeral: experiment.ephemeral,
					evalId: evaluation.evalId,
					name: evaluation.name,
					file: evaluation.file,
					strategy: evaluation.strategy,
					gitCommit: evaluation.gitCommit,
					runtimeVersion: evaluation.runtimeVersion,
					datasetFingerprint: evaluation.datasetFingerprint,
					total: evaluation.summary.total,
				});
				for await (const s of reader.allSamples(name, evaluation.evalId)) {
					applier.apply({ t: 's', run, s });
					samples++;
				}
				applier.apply({
					t: 'end',
					run,
					status: evaluation.status,
					at: evaluation.finishedAt ?? evaluation.startedAt,
					wallMs: evaluation.summary.wallMs,
					maxInFlight: evaluation.summary.maxInFlight,
				});
				db.run(
					`UPDATE evaluations SET status = ?, started_at = ?, finished_at = ? WHERE eval_id = ? AND experiment_id = (SELECT id FROM experiments WHERE name = ?)`,
					[evaluation.status, evaluation.startedAt, evaluation.finishedAt, evaluation.evalId, name],
				);
			}
			db.run('UPDATE experiments SET created_at = ? WHERE name = ?', [experiment.createdAt, name]);
		}
		db.exec('COMMIT');
		applier.free();
		try {
			replaceFileAtomically(output, db.export());
		} catch (error) {
			throw asStoreError(error, output);
		}
		return { samples };
	} finally {
		db.close();
	}
}
