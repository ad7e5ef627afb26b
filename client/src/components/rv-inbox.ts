import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';

@customElement('rv-inbox')
export class RvInbox extends LitElement {
  override render() {
    return html`inbox`;
  }
}
