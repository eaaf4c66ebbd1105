// The stylesheet of our shadow root. It is a constructable stylesheet (adoptedStyleSheets):
// CSSOM is not subject to a page's style-src CSP, where a <style> element would be. No url()
// either (a page's img-src would apply), and no icon font: lines, waves and icons are
// gradients and clip-paths.
//
// Themes: light by default, dark under prefers-color-scheme: dark, and system colours under
// forced-colors: active. Block and warn never differ by colour alone: a block underline is a
// thick solid bar, its icon an octagon (a stop sign) and its card edge a double line; a
// warning is a wave, a triangle and a single line. Underlines and icons opt out of forced
// colours (forced-color-adjust: none), since the browser would drop their gradient and
// background paint, and take Highlight/GrayText instead, so they stay visible.

export const UI_CSS = `
:host {
  all: initial;
  --pg-fg: #1f1f1f; --pg-bg: #fff; --pg-muted: #444; --pg-border: #dadce0;
  --pg-block: #c5221f; --pg-warn: #b06000; --pg-info: #1a73e8; --pg-focus: #1a73e8;
  --pg-link: #0b57d0; --pg-primary-bg: #0b57d0; --pg-primary-fg: #fff;
  --pg-button-bg: #fff; --pg-notice-bg: #fef7e0; --pg-notice-border: #f9ab00;
  --pg-banner-bg: #fce8e6; --pg-toast-bg: #202124; --pg-toast-fg: #fff;
  --pg-shadow: rgba(0,0,0,.18); --pg-scrim: rgba(0,0,0,.35);
  /* Underlines lie on the site's page, light or dark whatever the browser prefers: mid tones
     that show on both. */
  --pg-line-block: #d93025; --pg-line-warn: #e37400; --pg-line-info: #1a73e8;
}
@media (prefers-color-scheme: dark) {
  :host {
    --pg-fg: #e3e3e3; --pg-bg: #292a2d; --pg-muted: #bdc1c6; --pg-border: #5f6368;
    --pg-block: #f28b82; --pg-warn: #fdd663; --pg-info: #8ab4f8; --pg-focus: #8ab4f8;
    --pg-link: #a8c7fa; --pg-primary-bg: #a8c7fa; --pg-primary-fg: #062e6f;
    --pg-button-bg: #3c4043; --pg-notice-bg: #4a3c12; --pg-notice-border: #fdd663;
    --pg-banner-bg: #5c2b29; --pg-toast-bg: #e8eaed; --pg-toast-fg: #202124;
    --pg-shadow: rgba(0,0,0,.6); --pg-scrim: rgba(0,0,0,.55);
  }
}
.pg-layer { position: fixed; inset: 0 auto auto 0; width: 0; height: 0; pointer-events: none; }
/* A composer's underlines above a site's modal dialog are a popover (content/overlay.js):
   none of the user agent's popover box. */
.pg-layer[popover] { margin: 0; padding: 0; border: 0; background: transparent; overflow: visible; }
.pg-underline { position: fixed; height: 3px; pointer-events: none; forced-color-adjust: none; }
/* block: a thick solid bar. */
.pg-underline[data-action="block"] { color: var(--pg-line-block); height: 4px; background: currentColor; border-radius: 1px; }
/* warn: a wave (two rows of arcs), no solid run anywhere. */
.pg-underline[data-action="warn"] {
  color: var(--pg-line-warn); height: 4px;
  background:
    radial-gradient(circle at 50% 0, transparent 1.6px, currentColor 1.7px 2.9px, transparent 3px) 0 0 / 8px 4px repeat-x,
    radial-gradient(circle at 50% 100%, transparent 1.6px, currentColor 1.7px 2.9px, transparent 3px) 4px 0 / 8px 4px repeat-x;
}
/* info: dashes, faint. */
.pg-underline[data-action="info"] {
  color: var(--pg-line-info); opacity: .55;
  background: repeating-linear-gradient(90deg, currentColor 0 4px, transparent 4px 6px);
}
.pg-mirror {
  position: fixed; visibility: hidden; pointer-events: none; overflow: hidden;
  margin: 0; height: auto !important;
}
/* One block per line of the value (content/mirror-geometry.js); the field indents only its
   first line, unless its text-indent says each-line. */
.pg-mirror > div + div { text-indent: 0; }
.pg-mirror[data-each-line="true"] > div + div { text-indent: inherit; }
.pg-card, .pg-dialog, .pg-notice, .pg-toast {
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--pg-fg);
  box-sizing: border-box;
}
.pg-card {
  position: fixed; margin: 0; max-width: 340px; max-height: calc(100vh - 8px); overflow: auto; padding: 12px 14px;
  background: var(--pg-bg); color: var(--pg-fg); pointer-events: none;
  border: 1px solid var(--pg-border); border-inline-start: 4px solid var(--pg-warn); border-radius: 8px;
  box-shadow: 0 4px 16px var(--pg-shadow); text-align: start;
}
.pg-card[data-action="block"] { border-inline-start: 6px double var(--pg-block); }
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
.pg-card:focus { outline: 2px solid var(--pg-focus); outline-offset: 2px; }
/* Inline, so long words wrap with the line they are on; the icon sits on the text. */
.pg-severity > .pg-icon, .pg-dialog li > .pg-icon { margin-inline-end: 5px; }
.pg-severity[data-severity="block"] { color: var(--pg-block); font-weight: 600; }
.pg-icon {
  position: relative; display: inline-block; width: 16px; height: 16px; forced-color-adjust: none;
  vertical-align: -3px; background: var(--pg-info); clip-path: circle(50%);
}
.pg-icon::after {
  position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  font: 700 11px/1 system-ui, sans-serif; color: var(--pg-bg);
}
/* A stop sign: an octagon with a bar across. */
.pg-icon[data-severity="block"] {
  background: var(--pg-block);
  clip-path: polygon(30% 0, 70% 0, 100% 30%, 100% 70%, 70% 100%, 30% 100%, 0 70%, 0 30%);
}
.pg-icon[data-severity="block"]::after { content: ""; inset: 43% 20%; background: var(--pg-bg); }
/* A warning sign: a triangle with "!". */
.pg-icon[data-severity="warn"] { background: var(--pg-warn); clip-path: polygon(50% 0, 100% 100%, 0 100%); }
.pg-icon[data-severity="warn"]::after { content: "!"; padding-top: 4px; }
.pg-icon[data-severity="info"]::after { content: "i"; }
button.pg-button {
  font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid #8c8c8c;
  background: var(--pg-button-bg); color: var(--pg-fg); cursor: pointer;
}
button.pg-button.pg-primary { background: var(--pg-primary-bg); border-color: var(--pg-primary-bg); color: var(--pg-primary-fg); }
button.pg-button:focus-visible { outline: 2px solid var(--pg-focus); outline-offset: 2px; }
button.pg-button:disabled { opacity: .5; cursor: not-allowed; }
.pg-backdrop::backdrop { background: transparent; }
.pg-backdrop {
  position: fixed; inset: 0; background: var(--pg-scrim); pointer-events: auto; color: inherit;
  display: flex; align-items: center; justify-content: center;
  border: 0; margin: 0; padding: 0; width: 100vw; height: 100vh; max-width: none; max-height: none;
}
.pg-dialog {
  width: min(520px, calc(100vw - 32px)); max-height: calc(100vh - 48px); overflow: auto;
  background: var(--pg-bg); color: var(--pg-fg); border-radius: 12px; padding: 20px 22px;
  box-shadow: 0 8px 32px var(--pg-shadow); text-align: start;
}
.pg-dialog h2 { font-size: 18px; margin: 0 0 8px; }
.pg-dialog ul { padding-inline-start: 18px; margin: 8px 0; }
.pg-dialog li { margin: 6px 0; }
.pg-dialog .pg-advice { color: var(--pg-muted); }
.pg-dialog .pg-contact { margin-top: 10px; color: var(--pg-muted); }
.pg-dialog .pg-capped { font-weight: 600; }
.pg-dialog .pg-buttons { display: flex; justify-content: flex-end; gap: 10px; margin-top: 16px; flex-wrap: wrap; }
.pg-dialog label { display: block; margin-top: 12px; font-weight: 600; }
.pg-dialog select { font: inherit; margin-top: 4px; width: 100%; padding: 4px; color: var(--pg-fg); background: var(--pg-button-bg); }
.pg-notice {
  /* Notices only inform: clicks go through to the page under them. They are popovers
     (notices.js): none of the user agent's popover box. */
  position: fixed; pointer-events: none; padding: 6px 10px; border-radius: 6px; margin: 0;
  background: var(--pg-notice-bg); border: 1px solid var(--pg-notice-border); box-shadow: 0 2px 8px var(--pg-shadow);
}
.pg-notice[data-kind="banner"] {
  inset: 0 0 auto 0; width: auto; border-radius: 0; background: var(--pg-banner-bg); border: 0;
  border-bottom: 2px solid var(--pg-block); text-align: center; padding: 10px;
}
.pg-toast {
  position: fixed; inset: auto 16px 16px auto; margin: 0; border: 0; pointer-events: auto; padding: 10px 14px;
  background: var(--pg-toast-bg); color: var(--pg-toast-fg); border-radius: 8px; box-shadow: 0 2px 10px var(--pg-shadow);
}
.pg-sr { position: fixed; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
a { color: var(--pg-link); }
@media (forced-colors: active) {
  :host {
    --pg-bg: Canvas;
    --pg-block: Highlight; --pg-warn: Highlight; --pg-info: GrayText; --pg-focus: Highlight;
    --pg-line-block: Highlight; --pg-line-warn: Highlight; --pg-line-info: GrayText;
  }
  .pg-underline[data-action="info"] { opacity: 1; }
  .pg-card, .pg-dialog, .pg-notice, .pg-toast { border: 1px solid CanvasText; }
  .pg-card[data-action="block"] { border-inline-start: 6px double CanvasText; }
  .pg-card[data-action="warn"] { border-inline-start: 4px solid CanvasText; }
  .pg-severity[data-severity] { color: CanvasText; }
  .pg-dialog .pg-advice, .pg-dialog .pg-contact { color: CanvasText; }
  button.pg-button, button.pg-button.pg-primary { border: 1px solid ButtonText; }
  a { color: LinkText; }
}
`;

// Style for the Custom Highlight API path: it must live in the document of the ranges.
// The same shapes: block a thick solid line, warn a wave, info dots.
export const HIGHLIGHT_CSS = `
::highlight(phiguard-block) { text-decoration: underline solid #d93025; text-decoration-thickness: 3px; text-decoration-skip-ink: none; }
::highlight(phiguard-warn) { text-decoration: underline wavy #e37400; text-decoration-thickness: 2px; text-decoration-skip-ink: none; }
::highlight(phiguard-info) { text-decoration: underline dotted #1a73e8; }
@media (forced-colors: active) {
  ::highlight(phiguard-block) { text-decoration-color: Highlight; }
  ::highlight(phiguard-warn) { text-decoration-color: Highlight; }
  ::highlight(phiguard-info) { text-decoration-color: GrayText; }
}
`;

// The composers' status chips (ui/status-chip.js), in the same three themes. The chip's sign
// uses .pg-icon's shapes above (octagon for block, triangle for warn), a tick in a circle for
// clean, a ring for checking and a dash for not checked; its edge is double when the worst
// finding blocks, so the state never rests on colour alone.
export const CHIP_CSS = `
:host { --pg-ok: #137333; --pg-chip-border: #8c8c8c; }
@media (prefers-color-scheme: dark) {
  :host { --pg-ok: #81c995; --pg-chip-border: #9aa0a6; }
}
.pg-chip {
  position: fixed; margin: 0; padding: 0; border: 0; background: transparent; overflow: visible;
  width: max-content; height: auto; inset: 0 auto auto 0; pointer-events: auto; color: var(--pg-fg);
}
.pg-chip[data-hidden] { visibility: hidden; pointer-events: none; }
.pg-chip-button {
  display: flex; align-items: center; gap: 5px; margin: 0; box-sizing: border-box; height: 24px;
  padding: 0 9px 0 6px; border: 1px solid var(--pg-chip-border); border-radius: 12px;
  font: 600 12px/1 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; white-space: nowrap;
  background: var(--pg-bg); color: var(--pg-fg); box-shadow: 0 1px 4px var(--pg-shadow); cursor: pointer;
}
.pg-chip[data-severity="block"] .pg-chip-button { border: 3px double var(--pg-block); padding-inline-start: 4px; }
.pg-chip[data-severity="warn"] .pg-chip-button { border-color: var(--pg-warn); }
.pg-chip-button:focus-visible { outline: 2px solid var(--pg-focus); outline-offset: 2px; }
.pg-chip .pg-icon { width: 14px; height: 14px; vertical-align: 0; flex: none; }
.pg-chip .pg-icon::after { font-size: 10px; }
.pg-icon[data-severity="clean"] { background: var(--pg-ok); }
.pg-icon[data-severity="clean"]::after { content: "\\2713\\FE0E"; }
.pg-icon[data-severity="pending"] {
  background: radial-gradient(circle, transparent 0 4px, var(--pg-muted) 4.5px 7px, transparent 7.5px);
}
.pg-icon[data-severity="unavailable"] { background: var(--pg-muted); }
.pg-icon[data-severity="unavailable"]::after { content: "\\2013"; }
@media (forced-colors: active) {
  :host { --pg-ok: CanvasText; --pg-chip-border: ButtonText; }
  .pg-chip-button { background: ButtonFace; color: ButtonText; border-color: ButtonText; box-shadow: none; }
  .pg-chip[data-severity] .pg-chip-button { border-color: ButtonText; }
  .pg-icon[data-severity="pending"] { background: radial-gradient(circle, transparent 0 4px, GrayText 4.5px 7px, transparent 7.5px); }
  .pg-icon[data-severity="unavailable"] { background: GrayText; }
  .pg-icon[data-severity="clean"]::after, .pg-icon[data-severity="unavailable"]::after { color: Canvas; }
}
`;
