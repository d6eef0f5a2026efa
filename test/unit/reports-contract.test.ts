import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportMethods } from '../../src/shared/reports';

const generate = reportMethods.generateReport.input;

test('generateReport refuses a time past any calendar date, which would make a NaN period', () => {
  assert.equal(generate.safeParse({ period: 'daily', at: 9e15 }).success, false);
  assert.equal(generate.safeParse({ period: 'monthly', at: 253_402_300_800_000 }).success, false);
});

test('generateReport takes a time within the calendar', () => {
  assert.equal(generate.safeParse({ period: 'weekly', at: 1_780_000_000_000 }).success, true);
  assert.equal(generate.safeParse({ period: 'daily', at: 253_402_300_799_999 }).success, true);
});
