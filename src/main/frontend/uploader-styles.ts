import { css } from 'lit';

/**
 * The look of <relay-uploader>: large targets (48 px, 88 px on a kiosk), high-contrast states. Colours come from the
 * page (--rp-*, light or Lumo dark in relaypacs.css), with the light ones as they are when the page has none.
 */
export const uploaderStyles = css`
  :host([kiosk]) { font-size: 1.35rem; }
  :host([kiosk]) .pick .button, :host([kiosk]) button { min-height: 88px; font-size: 1.5rem; padding: 0 2rem; }
  :host([kiosk]) .pick { gap: 1.25rem; }
  :host { display: block; font-size: 1.05rem; }
  .network { padding: 0.5rem 0.75rem; border-radius: 8px; margin-bottom: 0.75rem; font-weight: 600; }
  .network.on { background: var(--rp-ok-bg, #e6f4ea); color: var(--rp-ok, #0d5c2e); }
  .network.off { background: var(--rp-bad-bg, #fdecea); color: var(--rp-bad, #8a1c12); }
  .pick { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; padding: 0.5rem; border: 2px dashed var(--rp-frame, #c3ccd6); border-radius: 10px; }
  .hint { color: var(--rp-hint, #56606b); }
  .button, button, select { display: inline-flex; align-items: center; justify-content: center; min-height: 48px; min-width: 48px;
    padding: 0 1.25rem; border-radius: 8px; border: 2px solid var(--rp-accent, #0b5cad); color: var(--rp-accent, #0b5cad); background: var(--rp-surface, #fff);
    font-size: 1.05rem; font-weight: 600; cursor: pointer; }
  .button input { position: absolute; width: 1px; height: 1px; opacity: 0; }
  /* Keyboard users see where they are: the picker's label shows its hidden input's focus. */
  .button:focus-within, button:focus-visible, select:focus-visible, summary:focus-visible, input:focus-visible {
    outline: 3px solid #e37400; outline-offset: 2px; }
  button.send { margin-top: 0.75rem; width: 100%; min-height: 56px; background: #0b5cad; border-color: #0b5cad; color: #fff; font-size: 1.2rem; }
  .notice { color: var(--rp-bad, #8a1c12); font-weight: 600; }
  .ready { color: var(--rp-ready, #0b6b2f); font-weight: 700; font-size: 1.4em; }
  .picked, .studies { display: grid; gap: 0.5rem; margin-top: 0.75rem; }
  .study { display: grid; gap: 0.25rem; padding: 0.75rem; border-radius: 10px; background: var(--rp-panel, #f4f6f8); }
  .study .title { font-weight: 700; overflow-wrap: anywhere; }
  .study .detail { color: var(--rp-muted, #3d4650); }
  .study.done .state { color: var(--rp-ok, #0d5c2e); font-weight: 600; }
  .study.failed .state { color: var(--rp-bad, #8a1c12); font-weight: 600; }
  .overall { margin: 1rem 0 0.5rem; display: grid; gap: 0.25rem; }
  progress { width: 100%; height: 12px; }
  summary { min-height: 44px; display: flex; align-items: center; cursor: pointer; color: var(--rp-accent, #0b5cad); font-weight: 600; }
  summary::-webkit-details-marker { display: none; }
  summary::before { content: '▸'; width: 1.25rem; }
  details[open] > summary::before { content: '▾'; }
  .files { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.25rem; }
  .more { color: var(--rp-muted, #3d4650); margin: 0.25rem 0 0; }
  .file { display: grid; gap: 0.1rem; padding: 0.25rem 0; border-top: 1px solid var(--rp-line, #dde3e9); }
  .file .name { overflow-wrap: anywhere; }
  .file.failed .state { color: var(--rp-bad, #8a1c12); }
  button.secondary { margin-top: 0.75rem; }
  .patient { display: grid; gap: 0.5rem; margin-top: 0.75rem; border: 2px solid var(--rp-frame, #c3ccd6); border-radius: 10px; padding: 0.75rem; }
  .patient legend { font-weight: 700; padding: 0 0.25rem; }
  .patient label { display: grid; gap: 0.2rem; font-weight: 600; }
  .patient input, .patient select { min-height: 48px; font-size: 1.05rem; padding: 0 0.75rem; border: 2px solid var(--rp-field, #8a96a3);
    border-radius: 8px; color: var(--rp-text, #1b1f24); background: var(--rp-surface, #fff); justify-content: flex-start; }
  .options { margin-top: 1rem; }
  .help { margin-bottom: 0.75rem; padding: 0.75rem 1rem; border-radius: 10px; background: var(--rp-help-bg, #eef4fb); border: 2px solid var(--rp-help-line, #b9d1ea); }
  .help h2 { font-size: 1.15rem; margin: 0 0 0.25rem; }
  .help ol { margin: 0; padding-left: 1.4rem; display: grid; gap: 0.35rem; }
  .help button { margin-top: 0.5rem; }
  button.install { margin: 0 0 0.75rem; }
  /* read out by screen readers, not shown: the sentence of a study that settled */
  .announce { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; margin: 0; }
  label.check { display: flex; gap: 0.75rem; align-items: center; min-height: 48px; }
  label.check input { width: 28px; height: 28px; }
  .options label { display: flex; gap: 0.75rem; align-items: center; min-height: 48px; }
  .options input[type=checkbox] { width: 28px; height: 28px; }
`;
