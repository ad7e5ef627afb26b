import { LitElement, html, css } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import { displayValue, variableLabel } from '../forms/display-value.js';
import type { FieldSchema } from '../forms/form-schema.js';
import { fieldsOfForms } from '../forms/variable-labels.js';
import { i18n, t } from '../i18n/i18n.js';
import { directory } from '../services/directory.js';
import { shared } from '../styles/shared.js';

/**
 * Process variables as a compact definition list, for people: each with its form's label (or a service
 * variable's), values with enum labels, names for province/group/person codes and Solar Hijri dates.
 */
@customElement('rv-variables')
export class RvVariables extends LitElement {
  static override styles = [
    shared,
    css`
      dl {
        display: grid;
        grid-template-columns: minmax(6rem, max-content) minmax(0, 1fr);
        gap: 0.3rem 1rem;
        margin: 0;
      }
      dt {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
        white-space: pre-wrap;
        min-width: 0;
      }
      ol.rows {
        margin: 0;
        padding-inline-start: 1.2rem;
      }
      @media (max-width: 600px) {
        dl {
          grid-template-columns: minmax(0, 1fr);
          gap: 0.1rem;
        }
        dd {
          margin-bottom: 0.4rem;
        }
      }
    `,
  ];

  @property({ attribute: false }) variables: Record<string, unknown> = {};
  /** Forms of the instance's tasks: their fields label the variables. */
  @property({ attribute: false }) formKeys: string[] = [];

  @state() private _fields = new Map<string, FieldSchema>();

  constructor() {
    super();
    new WatchController(this, [
      [i18n, 'change'],
      [directory, 'change'],
    ]);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('formKeys')) {
      const keys = this.formKeys;
      void fieldsOfForms(keys).then((fields) => {
        if (keys === this.formKeys) this._fields = fields;
      });
    }
  }

  override render() {
    const entries = Object.entries(this.variables ?? {});
    if (!entries.length) return html`<p class="muted">${t('common.none')}</p>`;
    return html`<dl>
      ${entries.map(([k, v]) => {
        const field = this._fields.get(k);
        return html`<dt data-variable=${k}>${variableLabel(k, field)}</dt>
          <dd dir="auto">${displayValue(k, field, v)}</dd>`;
      })}
    </dl>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-variables': RvVariables;
  }
}
