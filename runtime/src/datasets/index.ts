/**
 * `doteval/datasets`: lazy loaders for dataset files. Any array, iterable or async iterable works as a
 * dataset too; these read files row by row, so large files are never held in memory.
 * @example
 * import { jsonl } from 'doteval/datasets';
 * export const evalQa = foreach('question,answer', jsonl('data/qa.jsonl'))(...);
 */
export { jsonl, type FileDataset } from './jsonl.js';
export { csv, type CsvOptions } from './csv.js';
export { json } from './json.js';
export { datasetFingerprint } from './fingerprint.js';
export { invalidRow, isInvalidRow, type InvalidRow } from './invalidRow.js';
