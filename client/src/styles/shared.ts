import { css } from 'lit';

/** Controls and layout shared by the shadow-DOM elements (the colours are CSS variables from global.css). */
export const shared = css`
  :host {
    font-family: var(--rv-font);
    color: var(--rv-text);
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h1,
  h2,
  h3 {
    margin: 0 0 0.5rem;
    font-weight: 600;
    line-height: 1.3;
  }
  h1 {
    font-size: 1.35rem;
  }
  h2 {
    font-size: 1.1rem;
  }
  h3 {
    font-size: 1rem;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--rv-border-strong);
    background: var(--rv-surface);
    border-radius: 6px;
    padding: 0.4rem 0.9rem;
    min-height: 2.25rem;
    line-height: 1.2;
  }
  button:hover:not(:disabled) {
    background: var(--rv-hover);
  }
  button.primary {
    background: var(--rv-primary);
    border-color: var(--rv-primary);
    color: #fff;
  }
  button.primary:hover:not(:disabled) {
    background: var(--rv-primary-dark);
  }
  button.link {
    border: none;
    background: none;
    color: var(--rv-primary);
    padding: 0.2rem 0.4rem;
    min-height: auto;
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  :focus-visible {
    outline: 3px solid var(--rv-focus);
    outline-offset: 2px;
  }
  input:not([type='checkbox']):not([type='radio']),
  select,
  textarea {
    border: 1px solid var(--rv-border-strong);
    border-radius: 6px;
    padding: 0.4rem 0.6rem;
    min-height: 2.25rem;
    background: var(--rv-surface);
    max-width: 100%;
  }
  input[aria-invalid='true'],
  select[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: var(--rv-danger);
  }
  input[type='checkbox'],
  input[type='radio'] {
    width: 1.1rem;
    height: 1.1rem;
    accent-color: var(--rv-primary);
  }
  .card {
    background: var(--rv-surface);
    border: 1px solid var(--rv-border);
    border-radius: 10px;
    padding: 1rem;
  }
  .muted {
    color: var(--rv-muted);
  }
  .error {
    color: var(--rv-danger);
  }
  .badge {
    display: inline-block;
    border-radius: 999px;
    padding: 0.05rem 0.55rem;
    font-size: 0.8rem;
    background: var(--rv-hover);
    white-space: nowrap;
  }
  .badge.danger {
    background: var(--rv-danger-bg);
    color: var(--rv-danger);
  }
  .badge.ok {
    background: var(--rv-ok-bg);
    color: var(--rv-ok);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0, 0, 0, 0);
    white-space: nowrap;
    border: 0;
  }
  .alert {
    border: 1px solid var(--rv-danger);
    background: var(--rv-danger-bg);
    color: var(--rv-danger);
    border-radius: 8px;
    padding: 0.6rem 0.8rem;
  }
  .row {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
  }
`;
