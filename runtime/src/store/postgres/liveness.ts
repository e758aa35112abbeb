/**
 * Whether a run is alive, across machines: each writer stamps its run with the database's clock at
 * every flush (at least once a second); a run not finished and not stamped within `staleMs` was
 * killed or lost its connection, and counts as interrupted. The same span is the lease on chunks
 * claimed by joined workers: a dead worker's chunk is free again after it.
 */
import { dbNow } from './schema.js';

export interface Liveness {
	heartbeatMs: number;
	staleMs: number;
}

/** DOTEVAL_PG_LEASE_MS shortens the lease (tests); the default tolerates a long pause of a busy machine. */
export function liveness(env: NodeJS.ProcessEnv = process.env): Liveness {
	const lease = Number(env.DOTEVAL_PG_LEASE_MS);
	return { heartbeatMs: 1000, staleMs: Number.isFinite(lease) && lease >= 500 ? lease : 30_000 };
}

/**
 * A lateral join giving `st.status` and `st.finished_at` of evaluation `e` from its runs: running while any run is alive; else, per part (a shard, the
 * joined workers, a whole run), the status of its latest run; interrupted or failed if any part is.
 */
export function evaluationState(e: string): string {
	return `LEFT JOIN LATERAL (
		SELECT CASE WHEN bool_or(r.live) THEN 'running'
				WHEN count(*) = 0 THEN 'interrupted'
				WHEN bool_or(r.latest AND r.effective = 'interrupted') THEN 'interrupted'
				WHEN bool_or(r.latest AND r.effective = 'failed') THEN 'failed'
				ELSE 'completed' END AS status,
			CASE WHEN bool_or(r.live) THEN NULL ELSE max(coalesce(r.finished_at, r.heartbeat_at)) END AS finished_at
		FROM (SELECT finished_at, heartbeat_at,
				finished_at IS NULL AND heartbeat_at > ${dbNow} - lease_ms AS live,
				CASE WHEN finished_at IS NULL THEN 'interrupted' ELSE status END AS effective,
				row_number() OVER (PARTITION BY part ORDER BY coalesce(finished_at, heartbeat_at) DESC, id DESC) = 1 AS latest
			FROM doteval.runs WHERE evaluation_id = ${e}.id) r
	) st ON true`;
}
