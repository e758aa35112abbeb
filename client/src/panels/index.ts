/** The webview panels, as the rest of the extension uses them. */
export { ResultsPanel } from './ResultsPanel.js';
export { TimingPanel } from './TimingPanel.js';
export type * from './messages.js';
