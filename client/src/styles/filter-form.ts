import { css } from 'lit';

/**
 * The filter form above a list (instance search, auditor's desk): labelled fields in as many columns as fit,
 * the buttons on a row of their own, and date pickers that keep their calendar button beside the text.
 */
export const filterForm = css`
  form.filters {
    display: grid;
    gap: 0.6rem 0.8rem;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 12rem), 1fr));
    align-items: end;
  }
  form.filters label {
    display: grid;
    gap: 0.2rem;
    font-size: 0.88rem;
    color: var(--rv-muted);
  }
  form.filters input,
  form.filters select {
    width: 100%;
    color: var(--rv-text);
  }
  form.filters .actions {
    display: flex;
    gap: 0.5rem;
    flex-wrap: wrap;
    align-items: center;
    grid-column: 1 / -1;
  }
  /* a filter's date is one line: the text fills the cell beside its button, and the format line shows only
     once something is typed (the placeholder already shows the format) */
  form.filters rv-hijri-date .hd-row {
    flex-wrap: nowrap;
  }
  form.filters rv-hijri-date .hd-row input.hd-text {
    flex: 1 1 auto;
    width: auto;
    min-width: 0;
  }
  form.filters rv-hijri-date .hd-echo[data-empty] {
    display: none;
  }
`;
