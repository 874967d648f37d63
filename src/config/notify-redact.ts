// What `describe` (and anything else that shows a spec or logs a hook) may show of `notify`: a webhook's
// secret never; its URL only as scheme, host and port. Credentials, path and query are masked whole: Slack's
// and Discord's webhook URLs carry their token in the path (`/services/T…/B…/<token>`), others in the query
// (`?token=`), and no rule that tries to tell a token from a harmless segment is safe.
import type { NotifySpec } from './spec.js';

export const REDACTED = '********';

/** `https://user:pw@hooks.example.com/abc?t=1` → `https://********@hooks.example.com/********`. */
export function redactUrl(written: string): string {
  let url: URL;
  try {
    url = new URL(written);
  } catch {
    return REDACTED;
  }
  const credentials = url.username !== '' || url.password !== '' ? `${REDACTED}@` : '';
  const rest = url.pathname !== '/' || url.search !== '' || url.hash !== '' ? `/${REDACTED}` : '/';
  return `${url.protocol}//${credentials}${url.host}${rest}`;
}

/** The hooks as they may be shown: same shape, secrets masked. */
export function redactNotify(notify: NotifySpec | null): NotifySpec | null {
  if (notify === null) return null;
  return {
    webhook: notify.webhook.map((hook) => ({
      ...hook,
      url: redactUrl(hook.url),
      secret: hook.secret === null ? null : REDACTED,
    })),
    exec: notify.exec,
  };
}
