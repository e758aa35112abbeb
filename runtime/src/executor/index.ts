export { executeEval } from './execute.js';
export { mapRow, RowMappingError } from './rows.js';
export { InvalidResultError } from './sample.js';
