// A NOPERM error names the ACL change it needs: the command Redis refused, or key access.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aclFix } from '../../src/main/targets/redis';

test('the fix names the refused command, not a fixed list', () => {
  const msg = "NOPERM User opsdeck has no permissions to run the 'scan' command";
  assert.equal(aclFix(msg, 'opsdeck'), 'Grant it in the ACL, e.g. ACL SETUSER opsdeck +scan.');
  const sub = "NOPERM User m has no permissions to run the 'config|get' command";
  assert.match(aclFix(sub, 'm'), /\+config\|get\.$/);
});

test('key access and unknown wordings get a fix that does not guess a command', () => {
  assert.match(
    aclFix('NOPERM No permissions to access a key', 'm'),
    /ACL SETUSER m ~\* \(or the key patterns it needs\)/,
  );
  assert.match(aclFix('NOPERM this user has no permissions', 'm'), /ACL LOG/);
});
