/**
 * The webview's end of the host connection: a typed `postMessage` and message listener over
 * VS Code's `acquireVsCodeApi()` (which may be called only once per page).
 */
interface VsCodeApi {
	postMessage(message: unknown): void;
	getState(): unknown;
	setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostConnection<Out, In> {
	post(message: Out): void;
	onMessage(handler: (message: In) => void): void;
	/** Survives the webview being hidden and shown again (VS Code reloads hidden webviews). */
	getState<S>(): S | undefined;
	setState<S>(state: S): void;
}

export function connectToHost<Out, In>(): HostConnection<Out, In> {
	const api = acquireVsCodeApi();
	return {
		post: (message) => api.postMessage(message),
		onMessage: (handler) => window.addEventListener('message', (event: MessageEvent<In>) => handler(event.data)),
		getState: <S>() => api.getState() as S | undefined,
		setState: (state) => api.setState(state),
	};
}
