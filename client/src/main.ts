// global styles first: the font and colours (bpmn-js's stylesheets come with its chunks: bpmn/navigated-viewer.ts)
import './styles/global.css';
import './styles/app.css';
import './components/rv-app.js';
