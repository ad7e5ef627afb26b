import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import {
  AFGHAN_MONTHS,
  WEEKDAYS,
  WEEKDAYS_SHORT,
  addDays,
  formatHijriLong,
  formatHijriNumeric,
  hijriMonthLength,
  hijriToIso,
  isoToHijri,
  kabulToday,
  localDigits,
  parseHijri,
  toLatinDigits,
  weekdayFromSaturday,
  type HijriDate,
} from '../i18n/hijri.js';
import { i18n, t } from '../i18n/i18n.js';
import { directory } from '../services/directory.js';

const KABUL_OFFSET_MS = 4.5 * 3_600_000;

/** A date-time value → Kabul's day and `HH:MM`. */
function splitDateTime(value: string): { day: string; time: string } | undefined {
  const ms = Date.parse(value);
  if (!value || Number.isNaN(ms)) return undefined;
  const kabul = new Date(ms + KABUL_OFFSET_MS).toISOString();
  return { day: kabul.slice(0, 10), time: kabul.slice(11, 16) };
}

/**
 * A Solar Hijri date field: type `1405-09-15` (Dari or Latin digits) or pick a day in the month grid (Afghan
 * month names, Saturday first, today marked, Fridays and the office's holidays shown); the Gregorian date is
 * echoed beside it. The value is an ISO date (`2026-12-06`), or with `with-time` an ISO date-time in Kabul time
 * (`2026-12-06T10:00:00+04:30`). Renders in light DOM: include `hijriDateStyles` (styles/hijri-date.ts) in the parent's styles.
 * @fires rv-date-input CustomEvent<{ value: string | undefined }>: the ISO value, the typed text when it is not a
 * date yet (so the form can say so), undefined when empty
 */
@customElement('rv-hijri-date')
export class RvHijriDate extends LitElement {
  @property() value = '';
  /** Id of the text input (the parent's `<label for>` points at it). */
  @property({ attribute: 'input-id' }) inputId = '';
  @property({ type: Boolean, attribute: 'with-time' }) withTime = false;
  @property({ type: Boolean }) disabled = false;
  @property({ type: Boolean }) invalid = false;
  @property({ type: Boolean }) required = false;
  @property({ attribute: 'described-by' }) describedBy = '';

  @state() private _text = '';
  @state() private _time = '';
  @state() private _open = false;
  /** The month shown in the grid. */
  @state() private _view: { year: number; month: number } = { year: 1405, month: 1 };
  /** The day that has the grid's focus (ISO). */
  @state() private _focus = '';

  /** The last value this element emitted: a value coming back from the parent must not overwrite typing. */
  private _emitted: string | undefined = undefined;
  private readonly _onDocClick = (e: Event) => {
    if (this._open && !e.composedPath().includes(this)) this._open = false;
  };

  constructor() {
    super();
    new WatchController(this, [
      [i18n, 'change'],
      [directory, 'change'],
    ]);
  }

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('click', this._onDocClick, true);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('click', this._onDocClick, true);
    super.disconnectedCallback();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('value') && this.value !== this._emitted) {
      const day = this._dayOf(this.value);
      const hijri = day ? isoToHijri(day) : undefined;
      this._text = hijri ? formatHijriNumeric(hijri, i18n.lang) : (this.value ?? '');
      if (this.withTime) this._time = splitDateTime(this.value)?.time ?? this._time;
    }
  }

  /** The ISO day of the current value, if it is one. */
  private _dayOf(value: string): string | undefined {
    if (!value) return undefined;
    if (!this.withTime) return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
    return splitDateTime(value)?.day;
  }

  private _emit(day: string | undefined, raw: string): void {
    let value: string | undefined;
    if (!raw.trim()) value = undefined;
    else if (!day) value = toLatinDigits(raw.trim());
    else if (this.withTime) value = `${day}T${this._time || '08:00'}:00+04:30`;
    else value = day;
    if (this.withTime && day && !this._time) this._time = '08:00';
    this._emitted = value ?? '';
    this.dispatchEvent(
      new CustomEvent('rv-date-input', { detail: { value }, bubbles: true, composed: true }),
    );
  }

  private _onText(e: Event): void {
    this._text = (e.target as HTMLInputElement).value;
    const hijri = parseHijri(this._text);
    this._emit(hijri ? hijriToIso(hijri) : undefined, this._text);
  }

  private _onBlur(): void {
    const hijri = parseHijri(this._text);
    if (hijri) this._text = formatHijriNumeric(hijri, i18n.lang);
  }

  private _onTime(e: Event): void {
    this._time = (e.target as HTMLInputElement).value;
    const hijri = parseHijri(this._text);
    if (hijri) this._emit(hijriToIso(hijri), this._text);
  }

  private _onTextKey(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' && e.altKey) {
      e.preventDefault();
      this._toggle(true);
    }
  }

  private _toggle(open = !this._open): void {
    if (open) {
      const current = parseHijri(this._text);
      const focusIso = (current && hijriToIso(current)) || kabulToday();
      this._moveFocus(focusIso);
    }
    this._open = open;
    if (open)
      void this.updateComplete.then(() => {
        this.querySelector('.hd-pop')?.scrollIntoView({ block: 'nearest' });
        this._focusDay();
      });
  }

  private _moveFocus(iso: string): void {
    const h = isoToHijri(iso);
    if (!h) return;
    this._focus = iso;
    this._view = { year: h.year, month: h.month };
  }

  private _focusDay(): void {
    this.querySelector<HTMLButtonElement>(`.hd-pop button[data-day="${this._focus}"]`)?.focus();
  }

  private _pick(iso: string): void {
    const h = isoToHijri(iso)!;
    this._text = formatHijriNumeric(h, i18n.lang);
    this._emit(iso, this._text);
    this._open = false;
    void this.updateComplete.then(() => this.querySelector<HTMLInputElement>('input.hd-text')?.focus());
  }

  private _shiftMonth(delta: number): void {
    let { year, month } = this._view;
    month += delta;
    while (month > 12) {
      month -= 12;
      year += 1;
    }
    while (month < 1) {
      month += 12;
      year -= 1;
    }
    const focused = isoToHijri(this._focus);
    const day = Math.min(focused?.day ?? 1, hijriMonthLength(year, month));
    const iso = hijriToIso({ year, month, day });
    if (iso) this._moveFocus(iso);
  }

  private _onGridKey(e: KeyboardEvent): void {
    const rtl = i18n.dir === 'rtl';
    const steps: Record<string, number> = {
      ArrowRight: rtl ? -1 : 1,
      ArrowLeft: rtl ? 1 : -1,
      ArrowDown: 7,
      ArrowUp: -7,
    };
    let next: string | undefined;
    if (e.key in steps) next = addDays(this._focus, steps[e.key]!);
    else if (e.key === 'Home') next = addDays(this._focus, -weekdayFromSaturday(this._focus));
    else if (e.key === 'End') next = addDays(this._focus, 6 - weekdayFromSaturday(this._focus));
    else if (e.key === 'PageDown' || e.key === 'PageUp') {
      e.preventDefault();
      this._shiftMonth((e.key === 'PageDown' ? 1 : -1) * (e.shiftKey ? 12 : 1));
      void this.updateComplete.then(() => this._focusDay());
      return;
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this._open = false;
      void this.updateComplete.then(() => this.querySelector<HTMLButtonElement>('button.hd-open')?.focus());
      return;
    }
    if (!next) return;
    e.preventDefault();
    this._moveFocus(next);
    void this.updateComplete.then(() => this._focusDay());
  }

  override render() {
    const lang = i18n.lang;
    const hijri = parseHijri(this._text);
    const iso = hijri ? hijriToIso(hijri) : undefined;
    return html`<div class="hd-row">
        <input
          class="hd-text"
          id=${this.inputId || nothing}
          type="text"
          inputmode="numeric"
          autocomplete="off"
          placeholder=${localDigits('1405-09-15', lang)}
          .value=${this._text}
          ?disabled=${this.disabled}
          aria-invalid=${this.invalid ? 'true' : 'false'}
          aria-required=${this.required ? 'true' : 'false'}
          aria-describedby=${[this.describedBy, `${this.inputId}:echo`].filter(Boolean).join(' ')}
          @input=${this._onText}
          @blur=${this._onBlur}
          @keydown=${this._onTextKey}
        />
        <button
          type="button"
          class="hd-open"
          ?disabled=${this.disabled}
          aria-haspopup="dialog"
          aria-expanded=${this._open ? 'true' : 'false'}
          aria-label=${t('date.openCalendar')}
          title=${t('date.openCalendar')}
          @click=${() => this._toggle()}
        >
          <svg
            aria-hidden="true"
            viewBox="0 0 24 24"
            width="18"
            height="18"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
          >
            <rect x="3" y="5" width="18" height="16" rx="2"></rect>
            <path d="M3 10h18M8 3v4M16 3v4"></path>
          </svg>
        </button>
        ${
          this.withTime
            ? html`<input
                class="hd-time"
                type="time"
                dir="ltr"
                aria-label=${t('date.time')}
                .value=${this._time}
                ?disabled=${this.disabled}
                @input=${this._onTime}
              />`
            : nothing
        }
      </div>
      <div class="hd-echo" id="${this.inputId}:echo" aria-live="polite" ?data-empty=${!iso}>
        ${iso ? this._echo(iso) : t('date.format')}
      </div>
      ${this._open ? this._popup() : nothing}`;
  }

  /** "Sunday, 6 Dec 2026" with a warning on a Friday or holiday. */
  private _echo(iso: string) {
    const lang = i18n.lang;
    const weekday = weekdayFromSaturday(iso);
    const gregorian = new Intl.DateTimeFormat(lang === 'fa' ? 'fa-AF-u-ca-gregory' : 'en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${iso}T00:00:00Z`));
    const off = weekday === 6 ? t('date.friday') : directory.holidays.has(iso) ? t('date.holiday') : '';
    return html`<span data-gregorian=${iso}
        >${WEEKDAYS[lang][weekday]}${lang === 'fa' ? '، ' : ', '}${gregorian}</span
      >${off ? html` · <span class="hd-off">${off}</span>` : nothing}`;
  }

  private _popup() {
    const lang = i18n.lang;
    const { year, month } = this._view;
    const first = hijriToIso({ year, month, day: 1 })!;
    const lead = weekdayFromSaturday(first);
    const length = hijriMonthLength(year, month);
    const today = kabulToday();
    const selected = (() => {
      const h = parseHijri(this._text);
      return h ? hijriToIso(h) : undefined;
    })();
    const cells: Array<string | undefined> = [
      ...Array.from({ length: lead }, () => undefined),
      ...Array.from({ length }, (_, i) => addDays(first, i)),
    ];
    while (cells.length % 7) cells.push(undefined);
    const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
    const title = `${AFGHAN_MONTHS[lang][month - 1]} ${localDigits(String(year), lang)}`;
    const titleId = `${this.inputId}:calendar`;
    return html`<div class="hd-pop" role="dialog" aria-modal="false" aria-labelledby=${titleId} data-calendar>
      <div class="hd-head">
        <button type="button" aria-label=${t('date.prevYear')} @click=${() => this._shiftMonth(-12)}>
          <span aria-hidden="true">${i18n.dir === 'rtl' ? '»' : '«'}</span>
        </button>
        <button type="button" aria-label=${t('date.prevMonth')} @click=${() => this._shiftMonth(-1)}>
          <span aria-hidden="true">${i18n.dir === 'rtl' ? '›' : '‹'}</span>
        </button>
        <strong id=${titleId} aria-live="polite">${title}</strong>
        <button type="button" aria-label=${t('date.nextMonth')} @click=${() => this._shiftMonth(1)}>
          <span aria-hidden="true">${i18n.dir === 'rtl' ? '‹' : '›'}</span>
        </button>
        <button type="button" aria-label=${t('date.nextYear')} @click=${() => this._shiftMonth(12)}>
          <span aria-hidden="true">${i18n.dir === 'rtl' ? '«' : '»'}</span>
        </button>
      </div>
      <table role="grid" aria-labelledby=${titleId} @keydown=${this._onGridKey}>
        <thead>
          <tr>
            ${WEEKDAYS_SHORT[lang].map(
              (d, i) =>
                html`<th scope="col" class=${i === 6 ? 'hd-fri' : ''} abbr=${WEEKDAYS[lang][i]!}>${d}</th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${weeks.map(
            (week) =>
              html`<tr>
                ${week.map((day) => (day ? this._dayCell(day, today, selected) : html`<td></td>`))}
              </tr>`,
          )}
        </tbody>
      </table>
      <div class="hd-foot">
        <button type="button" @click=${() => this._pick(today)}>${t('date.today')}</button>
        <span><span class="hd-legend-off">■</span> ${t('date.offDays')}</span>
      </div>
    </div>`;
  }

  private _dayCell(iso: string, today: string, selected: string | undefined) {
    const lang = i18n.lang;
    const h = isoToHijri(iso) as HijriDate;
    const friday = weekdayFromSaturday(iso) === 6;
    const holiday = directory.holidays.has(iso);
    const classes = [friday || holiday ? 'hd-off' : '', iso === today ? 'hd-today' : ''].join(' ');
    const notes = [
      iso === today ? t('date.today') : '',
      friday ? t('date.friday') : '',
      holiday ? t('date.holiday') : '',
    ].filter(Boolean);
    const label = `${WEEKDAYS[lang][weekdayFromSaturday(iso)]} ${formatHijriLong(h, lang)}${notes.length ? ` (${notes.join('، ')})` : ''}`;
    return html`<td role="gridcell" class=${classes} aria-selected=${iso === selected ? 'true' : 'false'}>
      <button
        type="button"
        data-day=${iso}
        tabindex=${iso === this._focus ? '0' : '-1'}
        aria-label=${label}
        aria-current=${iso === today ? 'date' : nothing}
        title=${notes.join('، ') || nothing}
        @click=${() => this._pick(iso)}
      >
        ${localDigits(String(h.day), lang)}
      </button>
    </td>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-hijri-date': RvHijriDate;
  }
}
