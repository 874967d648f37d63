// A probe's port, per instance: a number, or `'$PORT'` / `'$PORT+instance'` read from the app's environment.
// Expanded at each run (the instance's env is the truth); a bad value is that run's failure, not a crash.

const PORT_REF = /^\$PORT(?:\s*\+\s*instance)?$/;

/** Whether a string port is one of the forms expandPort understands (config checks the same grammar). */
export function isPortReference(port: string): boolean {
  return PORT_REF.test(port.trim()) || /^\d+$/.test(port.trim());
}

/** The port to probe for one instance; throws an Error saying why when there is none. */
export function expandPort(
  port: number | string,
  env: Readonly<Record<string, string>>,
  instance: number,
): number {
  if (typeof port === 'number') return checked(port, String(port));
  const text = port.trim();
  if (/^\d+$/.test(text)) return checked(Number(text), port);
  if (!PORT_REF.test(text)) {
    throw new Error(`port ${JSON.stringify(port)} is neither a number nor '$PORT' / '$PORT+instance'`);
  }
  const raw = env.PORT;
  if (raw === undefined || raw.trim() === '') {
    throw new Error(`port ${JSON.stringify(port)}: the app's environment has no PORT`);
  }
  if (!/^\d+$/.test(raw.trim())) {
    throw new Error(`port ${JSON.stringify(port)}: PORT is not a port number: ${JSON.stringify(raw)}`);
  }
  const base = Number(raw.trim());
  return checked(text.includes('+') ? base + instance : base, port);
}

function checked(value: number, written: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`port ${JSON.stringify(written)} gives ${value}, outside 1-65535`);
  }
  return value;
}
