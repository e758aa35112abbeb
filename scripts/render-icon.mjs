// Renders media/icon.svg to media/icon.png (128×128, transparent corners) with Debian's chromium:
// the Marketplace and the Extensions view want a PNG icon. Run after editing the SVG:
// node scripts/render-icon.mjs
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const media = path.join(import.meta.dirname, '..', 'media');
const svg = readFileSync(path.join(media, 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
	const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
	await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
	await page.locator('svg').screenshot({ path: path.join(media, 'icon.png'), omitBackground: true });
} finally {
	await browser.close();
}
