// Content scripts cannot be ES modules in the manifest, so this classic script imports the
// real entry point. The modules are web-accessible with use_dynamic_url, so a page cannot
// probe for them at a fixed address. The flag stops a second copy in the same frame (the
// manifest and the extraSites registration can both match one page).
(() => {
  if (globalThis.__phiguardContentLoaded) return;
  globalThis.__phiguardContentLoaded = true;
  import(chrome.runtime.getURL('src/content/main.js')).catch((error) => {
    console.warn('PHI Guard: content script failed to load:', error?.message ?? error);
  });
})();
