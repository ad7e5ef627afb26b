import { css } from 'lit';

/** Styles of `<rv-hijri-date>`: it renders into its parent's shadow root (so the parent's `<label for>` works). */
export const hijriDateStyles = css`
  rv-hijri-date {
    display: block;
    position: relative;
    max-width: 100%;
  }
  rv-hijri-date .hd-row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    align-items: center;
  }
  rv-hijri-date .hd-row input.hd-text {
    width: 10rem;
    max-width: 100%;
    direction: ltr;
    text-align: start;
    unicode-bidi: isolate;
  }
  rv-hijri-date .hd-row input.hd-time {
    width: 7rem;
  }
  rv-hijri-date button.hd-open {
    display: inline-grid;
    place-items: center;
    padding: 0.3rem 0.6rem;
  }
  rv-hijri-date .hd-echo {
    font-size: 0.85rem;
    color: var(--rv-muted);
  }
  rv-hijri-date .hd-echo .hd-off {
    color: var(--rv-danger);
  }
  rv-hijri-date .hd-pop {
    position: absolute;
    z-index: 20;
    inset-inline-start: 0;
    margin-top: 0.3rem;
    width: min(21rem, calc(100vw - 2rem));
    background: var(--rv-surface);
    border: 1px solid var(--rv-border-strong);
    border-radius: 8px;
    box-shadow: 0 8px 24px rgba(0, 0, 0, 0.16);
    padding: 0.5rem;
  }
  rv-hijri-date .hd-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.2rem;
    margin-bottom: 0.3rem;
  }
  rv-hijri-date .hd-head strong {
    flex: 1;
    text-align: center;
  }
  rv-hijri-date .hd-head button,
  rv-hijri-date .hd-foot button {
    padding: 0.2rem 0.5rem;
    min-height: 2rem;
  }
  rv-hijri-date table {
    width: 100%;
    border-collapse: collapse;
    table-layout: fixed;
  }
  rv-hijri-date th {
    font-size: 0.75rem;
    font-weight: 600;
    color: var(--rv-muted);
    padding: 0.15rem 0;
  }
  rv-hijri-date th.hd-fri {
    color: var(--rv-danger);
  }
  rv-hijri-date td {
    padding: 1px;
    text-align: center;
  }
  rv-hijri-date td button {
    width: 100%;
    min-height: 2.2rem;
    padding: 0;
    border: 1px solid transparent;
    border-radius: 6px;
    background: none;
  }
  rv-hijri-date td.hd-off button {
    color: var(--rv-danger);
    background: #fbeeee;
  }
  rv-hijri-date td.hd-today button {
    border-color: var(--rv-primary);
    font-weight: 700;
  }
  rv-hijri-date td[aria-selected='true'] button {
    background: var(--rv-primary);
    color: #fff;
  }
  rv-hijri-date td button:focus-visible {
    outline: 3px solid var(--rv-focus, #f2b705);
    outline-offset: 1px;
  }
  rv-hijri-date .hd-foot {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 0.4rem;
    margin-top: 0.4rem;
    font-size: 0.8rem;
    color: var(--rv-muted);
  }
  rv-hijri-date .hd-legend-off {
    color: var(--rv-danger);
  }
`;
