// The dashboard's files (issue 14), served by the HTTP API at `/`. CONTRACT STUB written by the lead: the
// dashboard helper replaces the implementation, keeping these names.

export interface Asset {
  contentType: string;
  body: Buffer;
  /** Content-hashed name: may be cached for a year. */
  immutable: boolean;
}

/** The file for a URL path (`/`, `/app.js`, …), or undefined for a 404. */
export function loadAsset(_urlPath: string): Asset | undefined {
  return undefined;
}
