import { createHash } from 'node:crypto';
import { DurationDistribution } from '../fleet/types';

/** A seeded uniform [0, 1) generator (mulberry32), so a seeded fleet replays the same way. */
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

/** A stable uniform [0, 1) number for a string, e.g. a pod uid, so restarts give the same answer. */
export function hashUnit(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0) / 4294967296;
}

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Draws simulated seconds from a duration distribution. */
export function sampleDuration(d: DurationDistribution, random: () => number): number {
  switch (d.distribution) {
    case 'fixed':
      return d.seconds;
    case 'uniform':
      return d.minSeconds + (d.maxSeconds - d.minSeconds) * random();
    case 'exponential':
      return -Math.log(1 - random()) * d.meanSeconds;
    default:
      return d.medianSeconds * Math.exp(d.sigma * normal(random));
  }
}

/** Seconds until the next arrival of a Poisson process with `ratePerHour`. */
export function nextArrivalSeconds(ratePerHour: number, random: () => number): number {
  if (ratePerHour <= 0) return Infinity;
  return (-Math.log(1 - random()) * 3600) / ratePerHour;
}
