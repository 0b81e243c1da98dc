/**
 * The Luhn (mod 10) check digit of a string of digits: from the right, every other digit starting
 * with the one beside the check digit is doubled (9 subtracted above 9), and the digit makes the
 * sum a multiple of ten. Used by NPI (over the prefix 80840), LOINC codes and Cairn's MRNs.
 */
export function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}
