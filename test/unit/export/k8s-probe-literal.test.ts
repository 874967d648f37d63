// An exec probe's command in k8s.yaml: the kubelet expands `$(VAR)` there too (kubernetes#42273) and reads
// `$$` as `$`; what it runs must be the command as tend runs it. The kubelet's expansion is modelled here
// after Kubernetes' third_party/forked/golang/expansion: `$$` → `$`, `$(NAME)` → the variable when
// defined (else left as is), any other `$` as it is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probeLiteral } from '../../../src/export/k8s-probes.js';

function kubeletExpand(input: string, env: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const end = input.indexOf(')', i + 2);
      if (end === -1) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, end);
      out += env[name] ?? `$(${name})`;
      i = end;
    } else out += c;
  }
  return out;
}

test('what the kubelet runs is the command as written: $(…), $$, $VAR and "$0" all survive its expansion', () => {
  const env = { date: 'EXPANDED', TOKEN: 'EXPANDED', HOME: 'EXPANDED' };
  for (const word of [
    'test "$(date +%s)" -gt 0',
    'curl -H "Authorization: Bearer $TOKEN" http://localhost:3000/',
    'echo $$ $$(HOME) $(HOME)',
    'cd -- "$0" && exec "$@"',
    'trailing $',
    'plain',
  ])
    assert.equal(kubeletExpand(probeLiteral(word), env), word, word);
  // Words without `$(` or `$$` are written unchanged, readable.
  assert.equal(probeLiteral('echo $TOKEN "$0"'), 'echo $TOKEN "$0"');
  assert.equal(probeLiteral('$(date)'), '$$(date)');
});
