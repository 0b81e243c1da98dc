// The standard normal distribution: Φ and its inverse, to double precision.
//
// Important: percentiles near the chart's edges (3rd, 97th) and flags at the 5th/85th/95th depend on
// Φ being right to many digits; the common Abramowitz–Stegun 7.1.26 formula is only good to ~1e-7
// absolute, so Cody's erfc is used instead (W. J. Cody, "Rational Chebyshev approximations for the
// error function", Math. Comp. 1969;23:631–637; netlib specfun CALERF), ~1e-16 relative.

/* eslint-disable no-loss-of-precision -- Cody's coefficients as published (18 digits); each literal becomes the nearest double */
const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153] as const;
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062] as const;
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909, 1712.04761263407058, 2051.07837782607147,
  1230.33935479799725, 2.15311535474403846e-8,
] as const;
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963, 4362.61909014324716, 3439.36767414372164,
  1230.33935480374942,
] as const;
const P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978] as const;
const Q = [2.56852019228982242, 1.87295284992346725, 0.527905102951428412, 0.0605183413124413191, 2.33520497626869185e-3] as const;
const ONE_OVER_SQRT_PI = 0.56418958354775628695;
/* eslint-enable no-loss-of-precision */

/** exp(−y²) without losing digits for large y: y² is split into a part exact in binary and a small rest (as CALERF does). */
function expMinusSquare(y: number): number {
  const ySq = Math.trunc(y * 16) / 16;
  const del = (y - ySq) * (y + ySq);
  return Math.exp(-ySq * ySq) * Math.exp(-del);
}

/** The complementary error function erfc(x) = 1 − erf(x), Cody's CALERF. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= 0.46875) {
    const ySq = y * y;
    let num = A[4] * ySq;
    let den = ySq;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]!) * ySq;
      den = (den + B[i]!) * ySq;
    }
    return 1 - (x * (num + A[3])) / (den + B[3]);
  }
  let result: number;
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    result = expMinusSquare(y) * ((num + C[7]) / (den + D[7]));
  } else if (y >= 26.55) {
    result = 0; // below the smallest double
  } else {
    const inv = 1 / (y * y);
    let num = P[5] * inv;
    let den = inv;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]!) * inv;
      den = (den + Q[i]!) * inv;
    }
    const r = (inv * (num + P[4])) / (den + Q[4]);
    result = expMinusSquare(y) * ((ONE_OVER_SQRT_PI - r) / y);
  }
  return x < 0 ? 2 - result : result;
}

/** Φ(z), the standard normal cumulative distribution. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** The percentile (0–100, not rounded) at a z-score: Φ(z)·100. */
export function percentileFromZ(z: number): number {
  return normalCdf(z) * 100;
}

// Acklam's rational approximation of Φ⁻¹ (relative error < 1.2e-9), then one Halley step against the
// exact Φ above, which brings it to full double precision.
const AA = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239] as const;
const AB = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const;
const AC = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549671039833154, 4.374664141464968, 2.938163982698783] as const;
const AD = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW || p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const x = (((((AC[0] * q + AC[1]) * q + AC[2]) * q + AC[3]) * q + AC[4]) * q + AC[5]) / ((((AD[0] * q + AD[1]) * q + AD[2]) * q + AD[3]) * q + 1);
    return p < P_LOW ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((AA[0] * r + AA[1]) * r + AA[2]) * r + AA[3]) * r + AA[4]) * r + AA[5]) * q) / (((((AB[0] * r + AB[1]) * r + AB[2]) * r + AB[3]) * r + AB[4]) * r + 1)
  );
}

/** Φ⁻¹(p) for a probability 0–1: −∞ at 0, +∞ at 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability ${p} is not between 0 and 1`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const x = acklam(p);
  // Halley's step on Φ(x) − p; in the upper tail work with the lower tail's probability, which keeps its digits.
  const e = x > 0 ? 1 - p - normalCdf(-x) : normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** The z-score at a percentile (0–100): Φ⁻¹(p / 100); −∞ at 0 and +∞ at 100. */
export function zFromPercentile(p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is not between 0 and 100`);
  return normalQuantile(p / 100);
}
