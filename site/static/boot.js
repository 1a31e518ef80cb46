// Loads the WebAssembly app; kept in a file because the page's CSP forbids inline scripts.
// The module is compiled once here and handed to every checker worker (this file posts it
// to the first, site/src/checker.rs posts `globalThis.sciguardModule` to any it starts
// later), so that a worker only instantiates it instead of fetching and compiling 3.6 MB
// again before the first check.
import init from './sciguard_site.js';

const url = new URL('./sciguard_site_bg.wasm', import.meta.url);

async function compile() {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch (_) {
    // A host that serves .wasm without `application/wasm` refuses streaming compilation.
    const response = await fetch(url);
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

try {
  const module = await compile();
  globalThis.sciguardModule = module;
  // The first checker starts now, warming up while the page renders; checker.rs takes
  // it over (`sciguardWorker`) instead of starting its own.
  try {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.postMessage({ module });
    globalThis.sciguardWorker = worker;
  } catch (_) {
    // checker.rs starts one itself, and says so if it cannot.
  }
  await init({ module_or_path: module });
  document.getElementById('loading')?.remove();
} catch (error) {
  const loading = document.getElementById('loading');
  if (loading) {
    loading.textContent = `sciguard could not start in this browser: ${String(error)}. It needs WebAssembly.`;
    loading.setAttribute('role', 'alert');
  }
  throw error;
}
