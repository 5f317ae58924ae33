/**
 * Seeded random numbers for simulations and the scenarios generated for them:
 * the same seed replays the same draws, in kube-sim and in the benchmarks alike.
 */

/** A seeded uniform [0, 1) generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller); it takes two uniform draws. */
export function standardNormal(random: () => number): number {
  // 1 - u is in (0, 1], so the logarithm stays finite.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** An exponential draw with this mean, e.g. the gap between arrivals of a Poisson process. */
export function exponentialDraw(mean: number, random: () => number): number {
  return -Math.log(1 - random()) * mean;
}
