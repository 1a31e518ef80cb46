// Runs the sciguard engine off the main thread so that typing never waits for a check.
// Messages in: [id, path, text]. Messages out: { id, out: JSON findings, ms }.
import init, { check_json } from './sciguard_site.js';

const ready = init();

self.onmessage = async (event) => {
  await ready;
  const [id, path, text] = event.data;
  const started = performance.now();
  try {
    const out = check_json(path, text);
    self.postMessage({ id, out, ms: performance.now() - started });
  } catch (error) {
    // A trap leaves this module unusable; the page shows the error and starts a new worker.
    self.postMessage({ id, out: '[]', ms: performance.now() - started, error: String(error) });
  }
};
