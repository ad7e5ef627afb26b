// global styles first: the font and the bpmn-js stylesheets must be in the document (bpmn-js renders in light DOM)
import './styles/global.css';
import './styles/app.css';
import './components/rv-app.js';
