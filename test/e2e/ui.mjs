// Page helpers for driving the VS Code workbench (selectors measured on code-server 4.100.3 /
// VS Code 1.100.3, see docs/design/vscode-e2e.md). Every wait has a short explicit timeout and a
// message that says what was awaited: a wrong selector must fail fast and loudly, not cost 30 s.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const artifactsDir = path.join(repoRoot, 'test-results', 'e2e');

/**
 * Poll `probe` until it returns a truthy value; throw with `what` and the last value on timeout, and
 * with what `describe` says of the page then (what a null probe result cannot tell).
 */
export async function waitFor(probe, { timeout = 10_000, interval = 150, what = 'condition', describe } = {}) {
	const deadline = Date.now() + timeout;
	let last;
	for (;;) {
		try {
			last = await probe();
			if (last) return last;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) {
			const detail = last instanceof Error ? last.message : JSON.stringify(last);
			const seen = describe ? `; ${await describe().catch((error) => `(cannot describe: ${error.message})`)}` : '';
			throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${detail})${seen}`);
		}
		await new Promise((r) => setTimeout(r, interval));
	}
}

export async function screenshot(page, name) {
	mkdirSync(artifactsDir, { recursive: true });
	const file = path.join(artifactsDir, `${name}.png`);
	await page.screenshot({ path: file });
	return file;
}

async function pickFromQuickInput(page, text, rowText, timeout) {
	const input = page.locator('.quick-input-widget input');
	await input.waitFor({ state: 'visible', timeout: 5000 });
	await input.fill(text);
	const row = page.locator('.quick-input-list .monaco-list-row', { hasText: rowText });
	await row.first().waitFor({ state: 'visible', timeout });
	await page.keyboard.press('Enter');
}

/**
 * Open a workspace file through Quick Open and wait until its editor tab is active. Quick Open lists
 * files once ripgrep has searched the folder, which on a loaded machine can miss the first attempt:
 * try again, up to `timeout` in all.
 */
export async function openFile(page, name, { timeout = 45_000 } = {}) {
	const deadline = Date.now() + timeout;
	for (;;) {
		try {
			await page.keyboard.press('Escape');
			await page.keyboard.press('Control+P');
			await pickFromQuickInput(page, name, name, Math.min(15_000, Math.max(1000, deadline - Date.now())));
			break;
		} catch (error) {
			if (Date.now() >= deadline) throw error;
		}
	}
	await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: 5000 });
	await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 5000 });
}

/** Run a command by its palette label (e.g. 'Testing: Focus on Test Explorer View'). */
export async function runCommand(page, label, { timeout = 10_000 } = {}) {
	await page.keyboard.press('Escape');
	await page.keyboard.press('F1');
	await pickFromQuickInput(page, `>${label}`, label, timeout);
}

/** The visible CodeLens anchors whose text contains `text` (a Playwright locator). */
export function codeLens(page, text) {
	return page.locator('.monaco-editor .codelens-decoration a', { hasText: text }).filter({ visible: true });
}

/** Texts of every CodeLens in the visible editors. */
export function codeLensTexts(page) {
	return page.locator('.monaco-editor .codelens-decoration a').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
}

/**
 * The rows of the Testing view as the user sees them: label, state (from the icon class
 * `codicon-testing-<state>-icon`), description, depth (aria-level) and the full aria-label.
 */
export function testExplorerRows(page) {
	return page.locator('.test-explorer .monaco-list-row').evaluateAll((rows) =>
		rows.map((row) => {
			const label = row.querySelector('.label');
			const icon = row.querySelector('.computed-state');
			const state = /codicon-testing-([a-z]+)-icon/.exec(icon?.className ?? '')?.[1] ?? null;
			return {
				label: (label?.firstChild?.textContent ?? label?.textContent ?? '').trim(),
				state,
				description: row.querySelector('.test-label-description')?.textContent ?? '',
				level: Number(row.getAttribute('aria-level')),
				expanded: row.getAttribute('aria-expanded'),
				ariaLabel: row.getAttribute('aria-label') ?? '',
			};
		}),
	);
}

/** Text of the notification toasts currently shown. */
export function notifications(page) {
	return page
		.locator('.notifications-toasts .notification-list-item-message, .notifications-center .notification-list-item-message')
		.evaluateAll((els) => els.map((e) => e.textContent ?? ''));
}

/**
 * The frame of a webview whose document has `rootSelector` (VS Code nests each webview in two
 * iframes; only the inner one holds the extension's HTML). Cross-origin frames are skipped quietly.
 */
export async function webviewFrame(page, rootSelector, { timeout = 30_000 } = {}) {
	return waitFor(
		async () => {
			for (const frame of page.frames()) {
				if (frame === page.mainFrame()) continue;
				const has = await frame.evaluate((sel) => !!document.querySelector(sel), rootSelector).catch(() => false);
				if (has) return frame;
			}
			return null;
		},
		{ timeout, what: `a webview containing ${rootSelector}` },
	);
}

/** Text of the workbench's status bar. */
export function statusBarText(page) {
	return page.locator('.part.statusbar').evaluate((el) => el.innerText ?? '');
}

/**
 * For each canvas matching `selector` in `frame`: its size and how many of its pixels are painted
 * (alpha > 0), so a test can tell a drawn chart from an empty canvas.
 */
export function canvasInk(frame, selector = 'canvas') {
	return frame.locator(selector).evaluateAll((canvases) =>
		canvases.map((c) => {
			const data = c.width && c.height ? c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data : undefined;
			let painted = 0;
			if (data) for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
			return { id: c.id, width: c.width, height: c.height, painted };
		}),
	);
}

/**
 * Right-click `target` and choose the context-menu item `itemText`. A click that lands while the menu
 * is still animating in can be swallowed; then the item is highlighted, and Enter chooses it.
 */
export async function contextMenu(page, target, itemText) {
	await target.click({ button: 'right', timeout: 5000 });
	const item = page.locator('.monaco-menu .action-item', { hasText: itemText }).first();
	await item.waitFor({ state: 'visible', timeout: 5000 });
	await item.hover();
	await item.click({ timeout: 5000 });
	const menu = page.locator('.monaco-menu');
	for (let attempt = 0; attempt < 3; attempt++) {
		if ((await menu.count()) === 0 || !(await menu.first().isVisible())) return;
		await page.waitForTimeout(300);
		if ((await menu.count()) > 0 && (await menu.first().isVisible())) await page.keyboard.press('Enter');
	}
}

/**
 * Choose `labels` in the open quick pick and accept: checks their boxes in a multi-select pick,
 * or selects the (single) matching row in a plain one.
 */
export async function pickQuickItems(page, labels) {
	const widget = page.locator('.quick-input-widget');
	await widget.waitFor({ state: 'visible', timeout: 5000 });
	const multi = (await widget.locator('.quick-input-list input[type="checkbox"], .quick-input-list .monaco-custom-toggle').count()) > 0;
	const input = widget.locator('.quick-input-box input');
	for (const label of labels) {
		await input.fill(label);
		const row = widget.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
		await row.waitFor({ state: 'visible', timeout: 5000 });
		if (multi) await row.locator('input[type="checkbox"], .monaco-custom-toggle').first().click({ timeout: 5000 });
	}
	if (multi) await input.fill('');
	await page.keyboard.press('Enter');
}
