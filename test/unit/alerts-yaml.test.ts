// Rules to YAML and back, and import errors that name the line and field.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultRules } from '../../src/main/alerts/pack';
import { rulesFromYaml, rulesToYaml } from '../../src/main/alerts/yaml';
import { ValidationError } from '../../src/main/errors';

function importError(text: string): string {
  try {
    rulesFromYaml(text);
  } catch (err) {
    assert.ok(err instanceof ValidationError);
    return err.message;
  }
  assert.fail('the import should have failed');
}

describe('rules YAML', () => {
  test('the default pack survives a round trip unchanged', () => {
    const rules = defaultRules();
    const back = rulesFromYaml(rulesToYaml(rules));
    assert.deepEqual(
      back,
      rules.map(({ builtin: _b, ...r }) => r),
    );
  });

  test('a wrong field is named with its line', () => {
    const text = [
      'rules:',
      '  - name: Disk',
      '    selector:',
      '      metric: host.fs.used_pct',
      '    condition:',
      '      kind: threshold',
      '      op: ">"',
      '      value: ninety',
      '    forMs: 300000',
      '    severity: critical',
      '    message: full',
    ].join('\n');
    const msg = importError(text);
    assert.match(msg, /line 8: rule 1, condition\.value/);
    assert.match(msg, /nothing changed/);
  });

  test('a missing field, an unknown severity and an unknown key, each on its line', () => {
    const text = [
      'rules:',
      '  - name: Load',
      '    selector: { metric: host.load.1 }',
      '    condition: { kind: threshold, op: ">", value: 4 }',
      '    forMs: 0',
      '    severity: urgent',
      '    message: high',
      '    colour: red',
      '  - name: Other',
      '    selector: { metric: host.load.1 }',
      '    forMs: 0',
      '    severity: info',
      '    message: m',
    ].join('\n');
    const msg = importError(text);
    assert.match(msg, /line 6: rule 1, severity/);
    assert.match(msg, /line 2: rule 1, rule: .*colour/);
    assert.match(msg, /line 9: rule 2, condition/);
  });

  test('broken YAML names its line', () => {
    assert.match(importError('rules:\n  - name: "open\n    x: 1\n'), /line \d+:/);
    assert.match(importError('just text'), /line 1: expected a list of rules/);
  });
});
