// Runs the sciguard engine off the main thread so that typing never waits for a check;
// the page talks to it only through site/src/checker.rs (playground and checklist).
// Messages in: optionally first {module} (the page's compiled WebAssembly.Module), then
// [id, files, texts, options] with files a JSON array of {path, kind}, texts the
// matching texts (plain strings: a large paste is never escaped into JSON), and options a JSON
// object of {select, ignore, policies} (see RunOptions in site/src/lib.rs).
// Messages out: { id, out: JSON array of {filename, findings}, ms }, or { id, error }
// when the check did not complete; the page then replaces this worker.
import init, { check_files_json, last_panic } from './sciguard_site.js';

// The page posts its compiled module first ({module}); a worker started without one
// fetches and compiles the module itself.
let ready = null;

// What went wrong, for the user: a panic's own message when the engine left one (a panic
// aborts, which traps as "unreachable"), else the trap or exception itself.
function describe(error) {
  let panic = null;
  try {
    panic = last_panic();
  } catch (_) {
    // The module is unusable after some traps; the trap's own text is all there is.
  }
  if (panic) return `sciguard stopped on an internal error (a bug in sciguard): ${panic}`;
  const text = String(error);
  if (error instanceof RangeError || /call stack/i.test(text)) {
    return `the text is nested too deeply for this browser's stack (${text})`;
  }
  if (/memory/i.test(text)) return `the check ran out of memory (${text})`;
  return `the checker stopped (${text})`;
}

self.onmessage = async (event) => {
  if (event.data && event.data.module instanceof WebAssembly.Module) {
    // A first small check warms the engine up (its rule tables are built on first use)
    // while the page is still rendering.
    ready ??= init({ module_or_path: event.data.module }).then(() => {
      try {
        check_files_json('[{"path":"warm-up.py","kind":"python"}]', ['import os\n'], '');
      } catch (_) {
        // A real check reports whatever is wrong.
      }
    });
    return;
  }
  ready ??= init();
  const [id, files, texts, options] = event.data;
  try {
    await ready;
  } catch (error) {
    self.postMessage({ id, error: `the checker could not be loaded (${String(error)})` });
    return;
  }
  const started = performance.now();
  try {
    const out = check_files_json(files, texts, options ?? "");
    self.postMessage({ id, out, ms: performance.now() - started });
  } catch (error) {
    self.postMessage({ id, ms: performance.now() - started, error: describe(error) });
  }
};
