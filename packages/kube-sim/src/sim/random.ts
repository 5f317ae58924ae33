import { createHash } from 'node:crypto';
import { exponentialDraw, standardNormal } from '@ai-platform/backstage-plugin-ai-platform-common';
import { DurationDistribution } from '../fleet/types';

/** A stable uniform [0, 1) number for a string, e.g. a pod uid, so restarts give the same answer. */
export function hashUnit(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0) / 4294967296;
}

/** Draws simulated seconds from a duration distribution. */
export function sampleDuration(d: DurationDistribution, random: () => number): number {
  switch (d.distribution) {
    case 'fixed':
      return d.seconds;
    case 'uniform':
      return d.minSeconds + (d.maxSeconds - d.minSeconds) * random();
    case 'exponential':
      return exponentialDraw(d.meanSeconds, random);
    default:
      return d.medianSeconds * Math.exp(d.sigma * standardNormal(random));
  }
}

/** Seconds until the next arrival of a Poisson process with `ratePerHour`. */
export function nextArrivalSeconds(ratePerHour: number, random: () => number): number {
  if (ratePerHour <= 0) return Infinity;
  return (exponentialDraw(1, random) * 3600) / ratePerHour;
}
