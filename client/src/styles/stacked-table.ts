import { css } from 'lit';

/**
 * A data table for shadow-DOM views that becomes one card per row on phones (cells labelled by their
 * `data-label`), so a 390 px screen never scrolls sideways.
 */
export const stackedTable = css`
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: start;
    padding: 0.45rem 0.5rem;
    border-bottom: 1px solid var(--rv-border);
    vertical-align: top;
  }
  thead th {
    color: var(--rv-muted);
    font-weight: 600;
    font-size: 0.9rem;
    white-space: nowrap;
  }
  th button {
    border: none;
    background: none;
    padding: 0;
    min-height: auto;
    font-weight: 600;
    color: inherit;
  }
  a {
    color: var(--rv-primary);
  }
  .status-failed {
    background: var(--rv-danger-bg);
    color: var(--rv-danger);
  }
  .status-completed {
    background: var(--rv-ok-bg);
    color: var(--rv-ok);
  }
  .status-suspended {
    background: var(--rv-warn-bg);
    color: var(--rv-warn);
  }
  .result-ok {
    color: var(--rv-ok);
  }
  .result-error {
    color: var(--rv-danger);
    font-size: 0.88rem;
  }
  /* phones: every row becomes a card with labelled cells, no sideways scrolling */
  @media (max-width: 700px) {
    thead {
      display: none;
    }
    table,
    tbody,
    tr,
    td {
      display: block;
      width: 100%;
    }
    tr {
      border: 1px solid var(--rv-border);
      border-radius: 8px;
      padding: 0.4rem 0.6rem;
      margin-bottom: 0.6rem;
      background: var(--rv-surface);
    }
    td {
      border: none;
      padding: 0.15rem 0;
      display: flex;
      gap: 0.5rem;
      overflow-wrap: anywhere;
    }
    td rv-date {
      white-space: normal;
    }
    td[data-label]::before {
      content: attr(data-label);
      color: var(--rv-muted);
      min-width: 7rem;
      flex-shrink: 0;
    }
  }
`;
