/** The class of bpmn-js's NavigatedViewer (a type only: importing it here would pull bpmn-js into the caller). */
export type NavigatedViewerClass = (typeof import('./navigated-viewer.js'))['NavigatedViewer'];

let loading: Promise<NavigatedViewerClass> | undefined;

/**
 * Fetches bpmn-js's viewer (about 200 kB of script and its stylesheets) on first use, once: views that show a
 * diagram only on demand (a task in the inbox, the dashboard's heatmap) do not make their first view wait for it.
 */
export function loadNavigatedViewer(): Promise<NavigatedViewerClass> {
  loading ??= import('./navigated-viewer.js').then(
    (m) => m.NavigatedViewer,
    (err: unknown) => {
      // a failed fetch (a dropped link) is tried again on the next diagram
      loading = undefined;
      throw err;
    },
  );
  return loading;
}
