// Which environment variables are secrets: the one rule `tend env` masks with (daemon/handlers/process-env.ts),
// the HTTP API's mask (http/redact.ts) and `tend export` references instead of writing out (export/env.ts).
// Here, beside the protocol, because both sides import it (the CLI's export may not import daemon/).
//
// Broad on purpose: masking a harmless value (MONKEY matches KEY, PASSPORT_OFFICE matches PASS, AUTHOR matches AUTH) costs less
// than showing or exporting a secret. A variable is secret when its NAME says so, or when its VALUE carries
// a credential whatever the name (DATABASE_URL=postgres://u:p4ss@db/x, AUTH=Bearer …, a PEM key).

const SECRET_NAME = /TOKEN|SECRET|PASS|PWD|KEY|AUTH|CREDENTIAL|PRIVATE/i;
/** The shell's working directories, in every environment: PWD says where, not a password (MYSQL_PWD does). */
const NOT_SECRET = new Set(['PWD', 'OLDPWD']);

/**
 * Values that carry a credential:
 * - a URL with a password in its userinfo: `scheme://user:pass@host`, `scheme://:pass@host`;
 * - an HTTP authorization value: `Bearer …`, `Basic …`, `Token …`, `Digest …`;
 * - a PEM block (`-----BEGIN PRIVATE KEY-----`, a certificate, an OpenSSH key).
 */
const SECRET_VALUE = [
  /[a-z][a-z0-9+.-]*:\/\/[^/?#\s@:]*:[^/?#\s@]+@/i,
  /^\s*(Bearer|Basic|Token|Digest)\s+\S/i,
  /-----BEGIN [A-Z0-9 ]+-----/,
];

export const MASK = '********';

/** The name alone looks secret (a caller that has no value, e.g. a list of names). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.has(name.toUpperCase());
}

/** The value alone carries a credential. */
export function isSecretValue(value: string): boolean {
  return SECRET_VALUE.some((re) => re.test(value));
}

/** A variable to mask or never write out: its name looks secret, or its value carries a credential. */
export function looksSecret(name: string, value: string | undefined): boolean {
  return isSecretName(name) || (value !== undefined && isSecretValue(value));
}
