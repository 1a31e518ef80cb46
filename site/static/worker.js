// Runs the sciguard engine off the main thread so that typing never waits for a check;
// the page talks to it only through site/src/checker.rs (playground and checklist).
// Messages in: [id, files, texts] with files a JSON array of {path, kind} and texts the
// matching texts (plain strings: a large paste is never escaped into JSON).
// Messages out: { id, out: JSON array of {filename, findings}, ms }.
import init, { check_files_json } from './sciguard_site.js';

const ready = init();

self.onmessage = async (event) => {
  await ready;
  const [id, files, texts] = event.data;
  const started = performance.now();
  try {
    const out = check_files_json(files, texts);
    self.postMessage({ id, out, ms: performance.now() - started });
  } catch (error) {
    // A trap may leave this module unusable; the page shows the error (site/src/checker.rs).
    self.postMessage({ id, out: '[]', ms: performance.now() - started, error: String(error) });
  }
};
