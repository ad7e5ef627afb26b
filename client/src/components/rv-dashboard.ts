import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';

@customElement('rv-dashboard')
export class RvDashboard extends LitElement {
  override render() {
    return html`dashboard`;
  }
}
