/**
 * Exact arithmetic for the eligibility rules.
 *
 * Every figure that is compared or rounded (money, factors, floor areas) is an
 * `Exact`: a rational number numerator/denominator held in BigInt, so that
 * P = max(0, H − R) / N with R = (medical + education) / 12 is compared with S
 * exactly and huge inputs (assets.financial has no maximum) cannot overflow.
 * Inputs are converted through their decimal string (what the resident typed),
 * never through the binary value of the double.
 */

export type RoundingMode = 'half_up' | 'floor' | 'ceil';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const DECIMAL = /^(-?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export class Exact {
  /** Denominator is always > 0; the fraction is not necessarily reduced. */
  readonly n: bigint;
  readonly d: bigint;

  constructor(n: bigint, d: bigint = 1n) {
    this.n = n;
    this.d = d;
  }

  static readonly ZERO = new Exact(0n, 1n);

  /** The exact value of the number's shortest decimal representation. */
  static of(x: number): Exact {
    if (Number.isInteger(x)) {
      if (x <= MAX_SAFE && x >= -MAX_SAFE) return new Exact(BigInt(x), 1n);
    } else if (x < 1e13 && x > -1e13) {
      // Fast path for amounts with at most 2 decimals: below 1e13 a double has
      // an ulp under 0.002, so k/100 === x means x's decimal string is k/100.
      const k = Math.round(x * 100);
      if (k / 100 === x) return new Exact(BigInt(k), 100n);
    }
    return Exact.parse(String(x));
  }

  /** Parses a decimal string such as "850", "850.25", "1.5e-7", "1e+21". */
  static parse(text: string): Exact {
    const m = DECIMAL.exec(text.trim());
    if (!m) throw new RangeError(`Not a finite decimal number: ${text}`);
    const frac = m[3] ?? '';
    const exp = (m[4] ? Number(m[4]) : 0) - frac.length;
    let n = BigInt(m[2] + frac);
    if (m[1] === '-') n = -n;
    return exp >= 0 ? new Exact(n * 10n ** BigInt(exp), 1n) : new Exact(n, 10n ** BigInt(-exp));
  }

  static int(k: number | bigint): Exact {
    return new Exact(BigInt(k), 1n);
  }

  add(b: Exact): Exact {
    if (this.d === b.d) return new Exact(this.n + b.n, this.d);
    return new Exact(this.n * b.d + b.n * this.d, this.d * b.d);
  }

  sub(b: Exact): Exact {
    if (this.d === b.d) return new Exact(this.n - b.n, this.d);
    return new Exact(this.n * b.d - b.n * this.d, this.d * b.d);
  }

  mul(b: Exact): Exact {
    return new Exact(this.n * b.n, this.d * b.d);
  }

  mulInt(k: number): Exact {
    return new Exact(this.n * BigInt(k), this.d);
  }

  /** Division by a positive integer (household size, 12 months). */
  divInt(k: number): Exact {
    return new Exact(this.n, this.d * BigInt(k));
  }

  cmp(b: Exact): -1 | 0 | 1 {
    const l = this.d === b.d ? this.n : this.n * b.d;
    const r = this.d === b.d ? b.n : b.n * this.d;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  lt(b: Exact): boolean {
    return this.cmp(b) < 0;
  }
  le(b: Exact): boolean {
    return this.cmp(b) <= 0;
  }
  gt(b: Exact): boolean {
    return this.cmp(b) > 0;
  }
  ge(b: Exact): boolean {
    return this.cmp(b) >= 0;
  }
  eq(b: Exact): boolean {
    return this.cmp(b) === 0;
  }
  isZero(): boolean {
    return this.n === 0n;
  }

  max0(): Exact {
    return this.n < 0n ? Exact.ZERO : this;
  }

  /** Integer value of this × scale, rounded as asked. */
  scaledInteger(scale: bigint, mode: RoundingMode): bigint {
    const num = this.n * scale;
    const d = this.d;
    if (mode === 'half_up') {
      // half up = away from zero on ties, for either sign
      const twice = 2n * num;
      return num >= 0n ? (twice + d) / (2n * d) : -((-twice + d) / (2n * d));
    }
    const q = num / d; // truncates toward zero
    const exact = q * d === num;
    if (exact) return q;
    if (mode === 'floor') return num < 0n ? q - 1n : q;
    return num < 0n ? q : q + 1n;
  }

  /** Whole yuan, rounded half up (the rule book's rounding of amounts). */
  toYuan(): number {
    return Number(this.scaledInteger(1n, 'half_up'));
  }

  /** "1234.50": two decimals, rounded as asked (half up unless a comparison needs a direction). */
  toMoney(mode: RoundingMode = 'half_up'): string {
    if (this.d === 1n) return `${this.n}.00`;
    if (this.d === 100n) return fenToString(this.n);
    return fenToString(this.scaledInteger(100n, mode));
  }

  /** Plain decimal without trailing zeros for factors and rates ("1.3", "0.7", "24"). */
  toDecimal(maxDecimals = 6): string {
    const scale = 10n ** BigInt(maxDecimals);
    const v = this.scaledInteger(scale, 'half_up');
    const neg = v < 0n;
    const s = (neg ? -v : v).toString().padStart(maxDecimals + 1, '0');
    const int = s.slice(0, s.length - maxDecimals);
    const frac = s.slice(s.length - maxDecimals).replace(/0+$/, '');
    return (neg ? '-' : '') + int + (frac ? `.${frac}` : '');
  }
}

function fenToString(fen: bigint): string {
  const neg = fen < 0n;
  const s = (neg ? -fen : fen).toString();
  const padded = s.length < 3 ? s.padStart(3, '0') : s;
  const cut = padded.length - 2;
  return (neg ? '-' : '') + padded.slice(0, cut) + '.' + padded.slice(cut);
}

export function minExact(a: Exact, b: Exact): Exact {
  return a.le(b) ? a : b;
}

export function compareExact(a: Exact, b: Exact): -1 | 0 | 1 {
  return a.cmp(b);
}
