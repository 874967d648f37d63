// Colour on a TTY, plain when piped or when NO_COLOR is set (FORCE_COLOR forces it). Node's own styleText.
import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

export function colourEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export function paint(style: Style, text: string, enabled: boolean): string {
  return enabled ? styleText(style, text) : text;
}
