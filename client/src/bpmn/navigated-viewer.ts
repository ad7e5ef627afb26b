import NavigatedViewerModule from 'bpmn-js/lib/NavigatedViewer.js';
import { interopDefault } from './interop.js';
import '../styles/bpmn-viewer.css';

/** bpmn-js's read-only viewer with its stylesheets: a chunk of its own, loaded through `loadNavigatedViewer()`. */
export const NavigatedViewer = interopDefault(NavigatedViewerModule);
