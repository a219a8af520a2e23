import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Exact } from '../../../app/domain/eligibility/money';

describe('Exact: conversion through the decimal string', () => {
  it.each([
    [0, '0', '1'],
    [850, '850', '1'],
    [850.25, '85025', '100'],
    [0.1, '10', '100'],
    [999.999, '999999', '1000'],
    [1.5e-7, '15', '100000000'],
    [1e21, '1000000000000000000000', '1'],
    [1e23, '100000000000000000000000', '1'], // the double is 99999999999999991611392; its decimal string is 1e+23
    [123456789012.34, '12345678901234', '100'],
  ])('%s', (x, n, d) => {
    const e = Exact.of(x);
    expect(e.n * BigInt(d)).toBe(BigInt(n) * e.d);
  });

  it('parses decimal and exponent strings', () => {
    expect(Exact.parse('12.50').toMoney()).toBe('12.50');
    expect(Exact.parse('1.5e3').toMoney()).toBe('1500.00');
    expect(Exact.parse('-2.5').toMoney()).toBe('-2.50');
    expect(() => Exact.parse('abc')).toThrow(RangeError);
  });

  it('agrees with the decimal string for every 2-decimal number (fast path is exact)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (fen) => {
        const x = fen / 100;
        const viaString = Exact.parse(String(x));
        expect(Exact.of(x).eq(viaString)).toBe(true);
        expect(Exact.of(x).eq(new Exact(BigInt(fen), 100n))).toBe(true);
      }),
    );
  });
});

describe('Exact: arithmetic and rounding', () => {
  it('0.1 + 0.2 is exactly 0.3', () => {
    expect(Exact.of(0.1).add(Exact.of(0.2)).eq(Exact.of(0.3))).toBe(true);
  });

  it('compares thirds and twelfths exactly', () => {
    const third = Exact.int(1000).divInt(3);
    expect(third.mulInt(3).eq(Exact.int(1000))).toBe(true);
    expect(Exact.of(333.33).lt(third)).toBe(true);
    expect(Exact.of(333.34).gt(third)).toBe(true);
    expect(Exact.int(1).divInt(12).mulInt(12).eq(Exact.int(1))).toBe(true);
  });

  it.each([
    [0.5, 1],
    [0.49, 0],
    [1.5, 2],
    [2.5, 3], // half up, not half even
    [448.5, 449],
    [31.499999, 31],
  ])('rounds %s half up to %s whole yuan', (x, y) => {
    expect(Exact.of(x).toYuan()).toBe(y);
  });

  it('0.7 × 45 = 31.5 rounds to 32 (binary floating point gives 31.499…)', () => {
    expect(0.7 * 45).toBeLessThan(31.5);
    expect(Exact.of(0.7).mul(Exact.of(45)).toYuan()).toBe(32);
  });

  it.each([
    ['half_up', '333.33', '666.67'],
    ['floor', '333.33', '666.66'],
    ['ceil', '333.34', '666.67'],
  ] as const)('formats two decimals rounding %s', (mode, third, twoThirds) => {
    expect(Exact.int(1000).divInt(3).toMoney(mode)).toBe(third);
    expect(Exact.int(2000).divInt(3).toMoney(mode)).toBe(twoThirds);
  });

  it('formats small, whole and huge values', () => {
    expect(Exact.of(0.05).toMoney()).toBe('0.05');
    expect(Exact.of(7).toMoney()).toBe('7.00');
    expect(Exact.of(1e30).toMoney()).toBe('1000000000000000000000000000000.00');
    expect(Exact.of(1.3).toDecimal()).toBe('1.3');
    expect(Exact.of(24).toDecimal()).toBe('24');
  });
});
