// Loads the WebAssembly app; kept in a file because the page's CSP forbids inline scripts.
import init from './sciguard_site.js';
init();
