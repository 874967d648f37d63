// `tend schema`: the JSON Schema of ecosystem files, for editors (docs/config.md, "Editor support"). Built
// from the field registry here, without a daemon; the package also ships it as schema/ecosystem.schema.json.
import type { Command } from 'commander';
import { ecosystemJsonSchema } from '../../config/json-schema.js';

export function register(program: Command): void {
  program
    .command('schema')
    .description(
      'print the JSON Schema of ecosystem files (for editors: "$schema" in JSON, a comment in YAML)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  tend schema > ecosystem.schema.json',
        '  ecosystem.json:  { "$schema": "./node_modules/tend/schema/ecosystem.schema.json", "apps": [...] }',
        '  ecosystem.yaml:  # yaml-language-server: $schema=./node_modules/tend/schema/ecosystem.schema.json',
        "  a .js file:      /** @type {import('tend').EcosystemFile} */",
      ].join('\n'),
    )
    .action(() => {
      process.stdout.write(`${JSON.stringify(ecosystemJsonSchema(), null, 2)}\n`);
    });
}
