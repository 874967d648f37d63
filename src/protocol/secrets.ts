// Which environment variables are secrets: the one rule `tend env` masks with (daemon/handlers/process-env.ts),
// the HTTP API's mask (http/redact.ts) and `tend export` references instead of writing out (export/env.ts).
// Here, beside the protocol, because both sides import it (the CLI's export may not import daemon/).
//
// Broad on purpose: masking a harmless value (MONKEY matches KEY, PASSPORT_OFFICE matches PASS, AUTHOR matches AUTH) costs less
// than showing or exporting a secret. A variable is secret when its NAME says so, or when its VALUE carries
// a credential whatever the name (DATABASE_URL=postgres://u:p4ss@db/x, AUTH=Bearer …, a PEM key).

const SECRET_NAME =
  /TOKEN|SECRET|PASS|PWD|KEY|AUTH|CREDENTIAL|PRIVATE|SALT|COOKIE|SIGNING|SIGNATURE|(?:^|_)PW(?:_|$)|(?:^|_)CREDS?(?:_|$)/i;
/** The shell's working directories, in every environment: PWD says where, not a password (MYSQL_PWD does). */
const NOT_SECRET = new Set(['PWD', 'OLDPWD']);

/**
 * Values that carry a credential, anywhere in the value (a connection string, a header line, a command):
 * - a URL with userinfo, a password or not (`postgres://u:p@db`, `redis://:p@r`, Sentry's
 *   `https://key@o1.ingest.sentry.io/1`, `https://token@github.com/…`); scheme-less `user:pw@host[:port]`
 *   (an IPv6 host in brackets too, with a zone or not: `user:pw@[::1]:5432`, `u:p@[fe80::1%eth0]`);
 * - an HTTP authorization value: `Bearer …`, `Basic …`, `Token …`, `Digest …` at the start, any case; or
 *   anywhere, spelt as the scheme is (`Authorization: Bearer hdrtok`), before a token-like word (6 or more
 *   characters of base64/token68: `Basic plan`, a `$TOKEN` reference stay);
 * - a key=value or JSON pair whose key ends in password, passwd, pwd, secret, token, apikey, api_key,
 *   authtoken, access_key (JDBC `?password=`, libpq `password=kvpw`, ODBC `Password=`, `{"password":"x"}`,
 *   npmrc `_authToken=`, `:_auth=`); a value starting with `$` is a reference, not a value;
 *   also `auth`, `key`, `pass`, `sig`/`signature` and `session` as whole keys (`?auth=…`, Google's `?key=…`), S3's
 *   presigned URLs' `X-Amz-Signature`/`X-Amz-Credential`/`X-Amz-Security-Token`, GCS signed URLs'
 *   `X-Goog-Signature`/`X-Goog-Credential`, and
 *   the keys of connection strings (Azure's `AccountKey=`, `SharedAccessKey=`, `SharedAccessSignature=`);
 * - a header line whose name says credential (`X-Auth: …`, `X-Api-Key: …`, `Cookie: …`, `X-Signature: …`) before a token-like
 *   word, as in `curl -H '…'`, or before an authorization scheme in any case and a token-like word
 *   (`authorization: bearer …`: schemes are case-insensitive, RFC 9110; the ninth audit found it written out);
 *   not a challenge (`WWW-Authenticate: Basic realm=…`, `Proxy-Authenticate`), which carries none;
 * - a command's credential options: `-u`/`--user user:password` (curl; not `uid:gid` numbers), `--password`,
 *   `--pass`, `--token`, `--api-key`, `--oauth2-bearer`… followed by a value, with a prefix too
 *   (`--db-password pw`) or one dash (`-token`, openssl's `-pass`), mysql's `-p<password>` (quoted too),
 *   mongosh's `-p <password>` (not a port mapping `-p 27017:27017`), sshpass's `-p <password>` (digits too), redis-cli's `-a <password>`, redis-server's
 *   `--requirepass`/`--masterauth`;
 * - Oracle's `user/password@host:port[/service]`, `…@host/service`, `…@//host…` (the host a name or an IPv4
 *   address; not a git or package ref: `actions/checkout@main`, `npm/lodash@4.17.21/lodash.min.js`), and
 *   `user/password@alias` after sqlplus, sqlldr, expdp…;
 *   openssl's `-passin pass:…` (not `-pass env:NAME` or `file:`, which are references);
 * - a JWT (`eyJ….eyJ….…`), an AWS access key id (AKIA/ASIA + 16), a GitHub token (ghp_…, github_pat_…), a Slack webhook,
 *   the prefixed keys of Stripe (`sk_live_…`), Slack (`xoxb-…`), GitLab (`glpat-…`), npm (`npm_…`), Google
 *   (`AIza…`), OpenAI/Anthropic style `sk-…`, SendGrid (`SG.….…`), Hugging Face (`hf_…`), Twilio (`SK` + 32
 *   hex), Mailgun (`key-` + 32 hex), DigitalOcean (`dop_v1_…`), Shopify (`shpat_…`), PyPI (`pypi-…`),
 *   Databricks (`dapi…`), Vault (`hvs.…`), a Telegram bot token (`123456:AA…`), a Discord webhook;
 * - a PEM block (`-----BEGIN PRIVATE KEY-----`, a certificate, an OpenSSH key).
 * Found by the third audit (2026-12-04): exec probes and probe paths carried `curl -u admin:pw`,
 * `mysqladmin -ppw`, `redis-cli -a pw`, `-H 'X-Auth: pw'`, `?auth=pw` and a Stripe key into k8s.yaml. The
 * fifth (2026-12-05): Azure storage connection strings, SendGrid and Hugging Face keys, `--requirepass`.
 * The tenth (2026-12-05): mysql's quoted `-p"pw"`, mongosh's and sshpass's `-p`, `--db-password`,
 * `--oauth2-bearer`, Vault and Telegram tokens, Discord webhooks, Oracle's `user/pw@host`, npmrc's `:_auth=`,
 * `X-Session-Id`/`X-Signature` headers; names with `PW` or `CREDS` as a word (`DB_PW`).
 *
 * Every expression runs in time linear in the value's length (tenth audit: a 40 000-character value took
 * 12 s, one of 20 000 made of `auth-` 277 s, in `tend export`, `tend env` and the HTTP API alike): none may
 * start a match inside a run it would rescan from each position (a look-behind says where a match may
 * begin), and a run before a keyword is bounded (`{0,64}`, `{0,1000}`). test/unit/protocol/secrets.test.ts
 * judges values of a megabyte built to make them backtrack.
 */
const SECRET_VALUE = [
  /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^/?#\s@]+@/i,
  /(?:^|[\s=,;("'<])(?!mailto:)[\w.%+-]+:[^\s@/:]+@(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+(?:%(?:25)?[\w.-]+)?\])(?::\d+)?(?=$|[\s/?#,;)"'>])/i,
  /^\s*(Bearer|Basic|Token|Digest)\s+\S/i,
  /\b(Bearer|Basic|Token|Digest)\s+[\w.~+/-]{6,}/,
  /(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)["']?\s*[:=]\s*["']?(?![$\s"'])[^\s"'&;,}]/i,
  /(?:^|[?&;:\s"'{,])_?(?:auth|key|pass|sig|signature|session(?:_?id)?|x-amz-(?:signature|credential|security-token)|x-goog-(?:signature|credential))["']?\s*=\s*["']?(?![$\s"'])[^\s"'&;,}]/i,
  /(?:Account|SharedAccess|Primary|Secondary)Key\s*=\s*(?![$\s"'])[^\s;"']|SharedAccessSignature\s*=\s*(?![$\s"'])[^\s;"']/i,
  /(?<![\w-])(?![\w-]{0,64}authenticate\s*:)[\w-]{0,64}(?:auth|token|api-?key|secret|passw(?:or)?d|session|cookie|signature)[\w-]{0,64}\s*:\s*["']?(?:(?:Bearer|Basic|Token|Digest)\s+(?!\$)[\w.~+/=-]{6,}|(?!\$|(?:Bearer|Basic|Token|Digest)\b)[\w.~+/=-]{6,})/i,
  /(?:^|\s)(?:-u\s*|--user[=\s]\s*)["']?(?!\d+:\d+(?:["'\s]|$))[^\s:"'$]+:(?![$\s"'])[^\s"']+/,
  /(?:^|\s)--?(?:[a-z0-9]+[-_])*(?:password|passwd|pass|pwd|token|secret|api[-_]?key|auth[-_]?token|access[-_]?token|oauth2-bearer)(?:=|\s+)["']?(?![$\s"'-]|(?:env|file|fd):|stdin\b)\S/i,
  /(?:^|\s)-pass(?:in|out)\s+["']?pass:(?![$\s"'])\S/,
  /\b(?:mysql\w*|mariadb\w*)\b[^|;&]{0,1000}\s-p["']?(?![\s$"'])\S/,
  /\bredis-cli\b[^|;&]{0,1000}\s-a\s+["']?(?![$\s"'])\S/,
  /\bmongo\w*(?![\w-])[^|;&]{0,1000}\s-p\s*["']?(?![$\s"'-]|\d+:\d+)\S/,
  /\bsshpass(?![\w-])[^|;&]{0,1000}\s-p\s*["']?(?![$\s"'-])\S/,
  /(?:^|\s)--(?:requirepass|masterauth)(?:=|\s+)["']?(?![$\s"'-])\S/i,
  /(?<![\w-])eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/,
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/,
  /\b[sr]k_(?:live|test)_[A-Za-z0-9]{10,}/,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
  /\bglpat-[\w-]{20,}/,
  /\bnpm_[A-Za-z0-9]{36}\b/,
  /\bAIza[\w-]{35}\b/,
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/,
  /\bSG\.[\w-]{16,}\.[\w-]{16,}/,
  /\bhf_[A-Za-z0-9]{30,}\b/,
  /\bSK[0-9a-f]{32}\b/,
  /\bkey-[0-9a-f]{32}\b/,
  /\bdop_v1_[0-9a-f]{64}\b/,
  /\bshp(?:at|ca|pa|ss)_[0-9a-fA-F]{32}\b/,
  /\bpypi-AgE[\w-]{50,}/,
  /\bdapi[0-9a-f]{32}\b/,
  /hooks\.slack\.com\/services\//i,
  /discord(?:app)?\.com\/api\/webhooks\/\d+\/[\w-]/i,
  /(?:\b|bot)\d{6,12}:[A-Za-z0-9_-]{30,}/,
  /\bhv[sbr]\.[A-Za-z0-9_-]{20,}/,
  /(?:^|[\s=,;("'<])[\w.$#-]{1,64}\/[^\s/@"']{1,200}@(?:\/\/[a-z0-9][\w-]*(?:\.[\w-]+)*(?::\d{1,5})?(?:\/[\w.-]*)?|(?:\d{1,3}(?:\.\d{1,3}){3}|[a-z][\w-]*(?:\.[\w-]+)*)(?::\d{1,5}(?:\/[\w.-]*)?|\/[a-z][\w.-]*))(?=$|[\s,;)"'>])/i,
  /\b(?:sqlplus|sqlldr|expdp|impdp|rman|sqlcl)\b[^|;&]{0,1000}\s[\w.$#-]{1,64}\/[^\s/@"'$]{1,200}@\S/i,
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

/**
 * Arguments as they may be shown (the 'started pid' log line, the HTTP API's `args`): a word that carries a
 * credential, or that completes one with the word before it (`-u admin:pw`, `--password pw`), is masked
 * (third audit: `--db=postgres://u:pw@db/x` was in a pod's log).
 */
export function maskedArgs(args: readonly string[]): string[] {
  return args.map((a, i) => {
    if (isSecretValue(a)) return MASK;
    const before = args[i - 1];
    return before !== undefined && !isSecretValue(before) && isSecretValue(`${before} ${a}`) ? MASK : a;
  });
}

const ENV_KEY = /^(env|app_env|env_[\w-]+)$/;
const TEXT_KEY = /^(args|node_args|interpreter_args|command|path|url|output)$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A text, or a list of words (an argv: `-u admin:pw` is two), masked by the one rule. */
const maskText = (v: unknown): unknown =>
  typeof v === 'string'
    ? isSecretValue(v)
      ? MASK
      : v
    : Array.isArray(v)
      ? v.every((w) => typeof w === 'string')
        ? maskedArgs(v)
        : v.map(maskText)
      : redactShown(v);

/**
 * An answer as it may be shown (the HTTP API's, `tend describe`'s, text or JSON), by shape, so a field added
 * later is covered without a list to maintain: every object under a key `env`, `app_env` or `env_<name>` (an
 * app's spec, its stored fields, a probe's exec env, `process.env` answers) keeps its names with masked
 * values; a probe's headers are masked by name or value; the words of a command, URL, path or output and of
 * the app's arguments that carry a credential are masked (`curl http://admin:pw@…`, `--token=…`). Seventh
 * audit: `tend describe` printed `--password=hunter3` that the runtime's own start line masked.
 */
export function redactShown(value: unknown, env: 'every' | 'secret' = 'every'): unknown {
  if (Array.isArray(value)) return value.map((v) => redactShown(v, env));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (ENV_KEY.test(k) && isObject(v)) {
      // 'secret' (the CLI's describe, for the home's own user): as `tend env`, the values that look secret.
      out[k] = Object.fromEntries(
        Object.entries(v).map(([name, text]) => [
          name,
          env === 'every' || typeof text !== 'string' || looksSecret(name, text) ? MASK : text,
        ]),
      );
    } else if (k === 'headers' && isObject(v)) {
      out[k] = Object.fromEntries(
        Object.entries(v).map(([name, text]) => [
          name,
          typeof text === 'string' && looksSecret(name, text) ? MASK : text,
        ]),
      );
    } else if (TEXT_KEY.test(k)) {
      out[k] = maskText(v);
    } else if (k === 'masked' && Array.isArray(v) && 'env' in value) {
      // process.env: every variable is masked now.
      out[k] = Object.keys((value as { env: object }).env);
    } else out[k] = redactShown(v, env);
  }
  return out;
}
