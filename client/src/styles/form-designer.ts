import { css } from 'lit';

/** Layout of the form designer: settings and fields beside a sticky preview, one column on phones. */
export const formDesignerStyles = css`
  :host {
    display: block;
  }
  .layout {
    display: grid;
    gap: 1rem;
    grid-template-columns: minmax(0, 1.3fr) minmax(0, 1fr);
    align-items: start;
  }
  @media (max-width: 60rem) {
    .layout {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .stack {
    display: grid;
    gap: 0.8rem;
    min-width: 0;
  }
  .settings {
    display: grid;
    gap: 0.6rem;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 13rem), 1fr));
  }
  .settings {
    align-items: start;
  }
  .settings label {
    display: grid;
    gap: 0.2rem;
    align-content: start;
  }
  .settings input,
  select {
    width: 100%;
    box-sizing: border-box;
  }
  .help {
    font-size: 0.85rem;
    color: var(--rv-muted);
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .open {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: end;
  }
  .open label {
    display: grid;
    gap: 0.2rem;
    flex: 1 1 14rem;
  }
  .drafts {
    flex: 1 1 100%;
    display: grid;
    gap: 0.3rem;
  }
  .preview {
    position: sticky;
    top: 0.5rem;
  }
  .langs {
    display: inline-flex;
    gap: 0.3rem;
  }
  .langs button[aria-pressed='true'] {
    background: var(--rv-primary);
    color: #fff;
  }
  h1 {
    margin: 0 0 0.3rem;
  }
  h2 {
    font-size: 1.05rem;
    margin: 0;
  }
  ul.problems {
    margin: 0.3rem 0 0;
    padding-inline-start: 1.2rem;
  }
  .ok {
    color: var(--rv-success, #1b7f3b);
  }
`;
