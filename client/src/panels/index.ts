/** The webview panels, as the rest of the extension uses them. */
export { ResultsPanel } from './ResultsPanel.js';
export { TimingPanel, type TimingTarget } from './TimingPanel.js';
export { registerPanelSerializers } from './serializers.js';
export { RESULTS_VIEW_TYPE, TIMING_VIEW_TYPE } from './restore.js';
export type * from './messages.js';
