import { LitElement, html, css } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartDataset,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/** A bar chart (chart.js) that updates in place when its data changes; a table of the same data for screen readers. */
@customElement('rv-chart')
export class RvChart extends LitElement {
  static override styles = css`
    :host {
      display: block;
      position: relative;
      min-height: 220px;
    }
    .box {
      position: relative;
      height: var(--rv-chart-height, 240px);
    }
    table {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0, 0, 0, 0);
    }
  `;

  @property({ attribute: false }) labels: string[] = [];
  @property({ attribute: false }) datasets: Array<{ label: string; data: number[]; color: string }> = [];
  @property() label = '';
  @property({ type: Boolean }) horizontal = false;
  @property({ type: Boolean }) stacked = false;
  /** Right-to-left layout (Dari). */
  @property({ type: Boolean }) rtl = false;

  private _chart: Chart<'bar', number[], string> | undefined;

  override disconnectedCallback(): void {
    this._chart?.destroy();
    this._chart = undefined;
    super.disconnectedCallback();
  }

  override render() {
    return html`<div class="box"><canvas role="img" aria-label=${this.label}></canvas></div>
      <table>
        <caption>
          ${this.label}
        </caption>
        <tr>
          <th></th>
          ${this.datasets.map((d) => html`<th>${d.label}</th>`)}
        </tr>
        ${this.labels.map(
          (l, i) =>
            html`<tr>
              <th>${l}</th>
              ${this.datasets.map((d) => html`<td>${d.data[i]}</td>`)}
            </tr>`,
        )}
      </table>`;
  }

  protected override updated(changed: Map<string, unknown>): void {
    // direction and orientation are fixed at creation: build the chart again when they change
    if (this._chart && (changed.has('rtl') || changed.has('horizontal') || changed.has('stacked'))) {
      this._chart.destroy();
      this._chart = undefined;
    }
    const datasets: ChartDataset<'bar', number[]>[] = this.datasets.map((d) => ({
      label: d.label,
      data: d.data,
      backgroundColor: d.color,
      borderRadius: 4,
      maxBarThickness: 28,
    }));
    const locale = this.rtl ? 'fa-AF' : 'en-GB';
    const number = (value: string | number) => new Intl.NumberFormat(locale).format(Number(value));
    const font = { family: getComputedStyle(this).fontFamily || 'Vazirmatn' };
    if (this._chart) {
      this._chart.data.labels = this.labels;
      this._chart.data.datasets = datasets;
      this._chart.update();
      return;
    }
    const canvas = this.renderRoot.querySelector('canvas')!;
    this._chart = new Chart<'bar', number[], string>(canvas, {
      type: 'bar',
      data: { labels: this.labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: this.horizontal ? 'y' : 'x',
        locale,
        scales: {
          x: {
            stacked: this.stacked,
            reverse: this.rtl,
            beginAtZero: true,
            ticks: { font, precision: 0, ...(this.horizontal ? { callback: number } : {}) },
          },
          y: {
            stacked: this.stacked,
            beginAtZero: true,
            position: this.rtl ? 'right' : 'left',
            ticks: { font, precision: 0, ...(this.horizontal ? {} : { callback: number }) },
          },
        },
        plugins: {
          legend: { display: this.datasets.length > 1, rtl: this.rtl, labels: { font } },
          tooltip: { rtl: this.rtl, bodyFont: font, titleFont: font },
        },
      },
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-chart': RvChart;
  }
}
