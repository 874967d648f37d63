// Which environment variables `tend env` masks: names that look like secrets, by substring, any case.
// Broad on purpose (MONKEY matches KEY): showing a secret by mistake costs more than masking a harmless value.
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY/i;

export const MASK = '********';

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}
