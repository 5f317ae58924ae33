import { exponentialDraw, seededRandom, standardNormal } from './random';

describe('seededRandom', () => {
  it('replays the same draws for the same seed and others for another', () => {
    const draws = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
    expect(draws(7).every(x => x >= 0 && x < 1)).toBe(true);
  });
});

describe('draws from distributions', () => {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const many = (draw: (r: () => number) => number) => {
    const random = seededRandom(1);
    return Array.from({ length: 20_000 }, () => draw(random));
  };

  it('standardNormal has mean 0 and variance 1, and is finite when the uniform draw is 0', () => {
    const xs = many(standardNormal);
    expect(mean(xs)).toBeCloseTo(0, 1);
    expect(mean(xs.map(x => x * x))).toBeCloseTo(1, 1);
    expect(Number.isFinite(standardNormal(() => 0))).toBe(true);
  });

  it('exponentialDraw has the mean it is given', () => {
    expect(mean(many(r => exponentialDraw(30, r))) / 30).toBeCloseTo(1, 1);
  });
});
