// The stylesheet of our shadow root. It is a constructable stylesheet (adoptedStyleSheets):
// CSSOM is not subject to a page's style-src CSP, where a <style> element would be.

export const UI_CSS = `
:host { all: initial; }
.pg-layer { position: fixed; inset: 0 auto auto 0; width: 0; height: 0; pointer-events: none; }
.pg-underline {
  position: fixed; height: 3px; pointer-events: none; border-radius: 1px;
  background: repeating-linear-gradient(90deg, currentColor 0 4px, transparent 4px 6px);
}
.pg-underline[data-action="block"] { color: #c5221f; }
.pg-underline[data-action="warn"] { color: #e37400; }
.pg-underline[data-action="info"] { color: #1a73e8; opacity: .55; }
.pg-mirror {
  position: fixed; visibility: hidden; pointer-events: none; overflow: hidden;
  margin: 0; height: auto !important;
}
.pg-card, .pg-dialog, .pg-notice, .pg-toast {
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f1f1f;
  box-sizing: border-box;
}
.pg-card {
  position: fixed; margin: 0; max-width: 340px; overflow: visible; padding: 12px 14px; background: #fff; pointer-events: none;
  border: 1px solid #dadce0; border-inline-start: 4px solid #e37400; border-radius: 8px;
  box-shadow: 0 4px 16px rgba(0,0,0,.18);
}
.pg-card[data-action="block"] { border-inline-start-color: #c5221f; }
.pg-card.pg-interactive { pointer-events: auto; }
/* A card that only informs still takes clicks on its fix and "Not PHI" buttons. */
.pg-card .pg-finding-action { pointer-events: auto; }
.pg-card .pg-actions { flex-wrap: wrap; }
.pg-dialog .pg-finding-actions { display: flex; gap: 8px; margin-top: 4px; flex-wrap: wrap; }
.pg-dialog .pg-finding-actions button.pg-button { padding: 3px 10px; }
.pg-card h2 { font-size: 15px; margin: 0 0 6px; }
.pg-card p { margin: 4px 0; }
.pg-card .pg-label { font-weight: 600; }
.pg-card .pg-actions { display: flex; gap: 8px; margin-top: 8px; }
.pg-card:focus { outline: 2px solid #1a73e8; outline-offset: 2px; }
button.pg-button {
  font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid #8c8c8c;
  background: #fff; color: #1f1f1f; cursor: pointer;
}
button.pg-button.pg-primary { background: #0b57d0; border-color: #0b57d0; color: #fff; }
button.pg-button:focus-visible { outline: 2px solid #1a73e8; outline-offset: 2px; }
button.pg-button:disabled { opacity: .5; cursor: not-allowed; }
.pg-backdrop::backdrop { background: transparent; }
.pg-backdrop {
  position: fixed; inset: 0; background: rgba(0,0,0,.35); pointer-events: auto; color: inherit;
  display: flex; align-items: center; justify-content: center;
  border: 0; margin: 0; padding: 0; width: 100vw; height: 100vh; max-width: none; max-height: none;
}
.pg-dialog {
  width: min(520px, calc(100vw - 32px)); max-height: calc(100vh - 48px); overflow: auto;
  background: #fff; border-radius: 12px; padding: 20px 22px; box-shadow: 0 8px 32px rgba(0,0,0,.3);
}
.pg-dialog h2 { font-size: 18px; margin: 0 0 8px; }
.pg-dialog ul { padding-inline-start: 18px; margin: 8px 0; }
.pg-dialog li { margin: 6px 0; }
.pg-dialog .pg-advice { color: #444; }
.pg-dialog .pg-contact { margin-top: 10px; color: #444; }
.pg-dialog .pg-capped { font-weight: 600; }
.pg-dialog .pg-buttons { display: flex; justify-content: flex-end; gap: 10px; margin-top: 16px; flex-wrap: wrap; }
.pg-dialog label { display: block; margin-top: 12px; font-weight: 600; }
.pg-dialog select { font: inherit; margin-top: 4px; width: 100%; padding: 4px; }
.pg-notice {
  /* Notices only inform: clicks go through to the page under them. */
  position: fixed; pointer-events: none; padding: 6px 10px; border-radius: 6px;
  background: #fef7e0; border: 1px solid #f9ab00; box-shadow: 0 2px 8px rgba(0,0,0,.15);
}
.pg-notice[data-kind="banner"] {
  inset: 0 0 auto 0; border-radius: 0; background: #fce8e6; border: 0;
  border-bottom: 2px solid #c5221f; text-align: center; padding: 10px;
}
.pg-toast {
  position: fixed; inset: auto 16px 16px auto; margin: 0; border: 0; pointer-events: auto; padding: 10px 14px;
  background: #202124; color: #fff; border-radius: 8px; box-shadow: 0 2px 10px rgba(0,0,0,.3);
}
.pg-sr { position: fixed; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
a { color: #0b57d0; }
`;

// Style for the Custom Highlight API path: it must live in the document of the ranges.
export const HIGHLIGHT_CSS = `
::highlight(phiguard-block) { text-decoration: underline wavy #c5221f; text-decoration-thickness: 2px; text-decoration-skip-ink: none; }
::highlight(phiguard-warn) { text-decoration: underline wavy #e37400; text-decoration-thickness: 2px; text-decoration-skip-ink: none; }
::highlight(phiguard-info) { text-decoration: underline dotted #1a73e8; }
`;
