/** The experiments store: a SQLite file written through sql.js, with a journal for durability. */
export type * from './types.js';
export { openStore, SqlStoreWriter, UnknownExperiment, type OpenStoreOptions } from './writer.js';
export { openStoreReader, listJournals } from './store.js';
export { SqlStoreReader } from './reader.js';
export { StoreError, StoreRefusal } from './errors.js';
export { resolveStoragePath, timestampExperimentName, isTimestampExperimentName, defaultStoreFile, type StorageOptions } from './paths.js';
export { schemaVersion } from './schema.js';
export { compareEvaluation, mcnemarExact, type Comparison, type ScoreDelta } from './compare.js';
