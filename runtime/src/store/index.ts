/** The experiments store: a folder of SQLite files written through sql.js, with journals for durability (docs/store.md). */
export type * from './types.js';
export { openStore, SqlStoreWriter, UnknownExperiment, type OpenStoreOptions } from './writer.js';
export { openStoreReader, type StoreOpenOptions } from './store.js';
export { listJournals } from './journalFiles.js';
export { SqlStoreReader } from './reader.js';
export { StoreError, StoreRefusal } from './errors.js';
export { resolveStoragePath, defaultStoreDir, layoutOf, timestampExperimentName, isTimestampExperimentName, type StoreLayout } from './paths.js';
export { schemaVersion } from './schema.js';
export { compareEvaluation, mcnemarExact, type Comparison, type ScoreDelta } from './compare.js';
