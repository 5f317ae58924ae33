import { parseQuantity } from './quantity';

describe('parseQuantity', () => {
  it.each<[string, number]>([
    ['8', 8000],
    ['500m', 500],
    ['1.5', 1500],
    ['16Gi', 16 * 2 ** 30 * 1000],
    ['1e3', 1_000_000],
    // Kueue writes decayed usage at nano scale (LocalQueue status.fairSharing); milli-units round.
    ['1234567891n', 1235],
    ['2500u', 3],
    ['1E', 1e21],
    ['1Ei', 2 ** 60 * 1000],
  ])('reads %p as %p milli-units', (text, milli) => {
    expect(parseQuantity(text)).toBe(milli);
  });

  it.each(['lots', '1x', '', '1.5.2'])('refuses %p, naming it', text => {
    expect(() => parseQuantity(text)).toThrow(`"${text}" is not a Kubernetes quantity`);
  });
});
