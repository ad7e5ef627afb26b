import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';

@customElement('rv-modeller')
export class RvModeller extends LitElement {
  override render() {
    return html`modeller`;
  }
}
