import { defineConfig } from 'evalite/config';

export default defineConfig({
	maxConcurrency: Number(process.env.CONC ?? 4),
	hideTable: true,
});
