// A request's JSON body, bounded like a socket frame (4 MiB): larger is TEND_ERR_FRAME_TOO_LARGE (413),
// unparsable is TEND_ERR_BAD_REQUEST (400). An empty body is `{}`.
import type { IncomingMessage } from 'node:http';
import { nestingProblem } from '../protocol/depth.js';
import { TendError } from '../protocol/errors.js';
import { MAX_REQUEST_FRAME } from '../protocol/framing.js';

export function readJsonBody(req: IncomingMessage, limit = MAX_REQUEST_FRAME): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new TendError('TEND_ERR_FRAME_TOO_LARGE', { limit }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(new TendError('TEND_ERR_FRAME_TOO_LARGE', { limit }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (err) => {
      if (!done) reject(err);
      done = true;
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({});
      const type = String(req.headers['content-type'] ?? '');
      if (!/^application\/json\b/i.test(type))
        return reject(
          new TendError('TEND_ERR_BAD_REQUEST', {
            detail: 'a request body must be JSON (Content-Type: application/json)',
          }),
        );
      try {
        const body: unknown = JSON.parse(text);
        const deep = nestingProblem(body);
        if (deep !== null)
          return reject(new TendError('TEND_ERR_BAD_REQUEST', { detail: `the body's ${deep}` }));
        resolve(body);
      } catch (e) {
        reject(
          new TendError('TEND_ERR_BAD_REQUEST', {
            detail: `the body is not valid JSON: ${(e as Error).message}`,
          }),
        );
      }
    });
  });
}
