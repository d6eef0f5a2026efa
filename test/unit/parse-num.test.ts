import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseFailed } from '../../src/main/errors';
import {
  finite,
  parseCount,
  parseNum,
  parseRequired,
  percent,
  ratio,
  toNum,
} from '../../src/main/collectors/num';

test('whole numbers, dot decimals, signs and exponents parse', () => {
  assert.equal(parseNum('42'), 42);
  assert.equal(parseNum('-7'), -7);
  assert.equal(parseNum('+3'), 3);
  assert.equal(parseNum('12.50'), 12.5);
  assert.equal(parseNum('.5'), 0.5);
  assert.equal(parseNum('1e3'), 1000);
  assert.equal(parseNum('2.5E-2'), 0.025);
  assert.equal(parseNum('  8 '), 8);
});

test('"-", "" and "N/A" are no value', () => {
  assert.equal(parseNum('-'), null);
  assert.equal(parseNum(''), null);
  assert.equal(parseNum('N/A'), null);
});

test('locale decimal comma is rejected, never truncated (locale-decimal-comma)', () => {
  assert.throws(() => parseNum('12,50'), ParseFailed);
  assert.throws(() => parseNum('1.234,5'), ParseFailed);
  assert.throws(() => parseNum('12abc'), ParseFailed);
  assert.throws(() => parseNum('0x10'), ParseFailed);
  assert.throws(() => parseNum('NaN'), ParseFailed);
  assert.throws(() => parseNum('Infinity'), ParseFailed);
  assert.throws(() => parseNum('1.'), ParseFailed);
  assert.throws(() => parseNum('Media:'), ParseFailed);
});

test('the error names the field and the text', () => {
  assert.throws(() => parseNum('12,50', 'load 1'), /load 1 is not a number: "12,50"/);
});

test('required and count variants', () => {
  assert.throws(() => parseRequired('-', 'x'), /x has no value/);
  assert.equal(parseCount('18446744073709551615') > 0, true);
  assert.throws(() => parseCount('-1'), ParseFailed);
  assert.throws(() => parseCount('1.5'), ParseFailed);
});

test('driver values: number, bigint, numeric text, null', () => {
  assert.equal(toNum(5), 5);
  assert.equal(toNum(5n), 5);
  assert.equal(toNum('123'), 123);
  assert.equal(toNum(null), null);
  assert.equal(toNum(undefined), null);
  assert.equal(toNum(Number.NaN), null);
  assert.throws(() => toNum({}), ParseFailed);
  assert.throws(() => toNum('1,5'), ParseFailed);
});

test('derived figures: NaN and Infinity become null (derived-nan-infinity)', () => {
  assert.equal(finite(Number.NaN), null);
  assert.equal(finite(Infinity), null);
  assert.equal(finite(-Infinity), null);
  assert.equal(finite(0), 0);
  assert.equal(percent(0, 0), null);
  assert.equal(percent(5, 0), null);
  assert.equal(percent(null, 10), null);
  assert.equal(percent(1, 4), 25);
  assert.equal(ratio(0, 0), null);
  assert.equal(ratio(3, 2), 1.5);
  assert.equal(JSON.stringify({ v: percent(0, 0) }), '{"v":null}');
});
