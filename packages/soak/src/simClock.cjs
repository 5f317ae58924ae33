// Preloaded (`node --require`) into every process of a soak run — kube-sim,
// each backend replica — so that all of them read one simulated clock:
// simulated time = E + (real time − E) × AIP_CLOCK_SPEED, where E is the
// run's start (AIP_CLOCK_EPOCH_MS). Date, performance.now and every timer run
// at that speed, so an hour of leases, backoffs, task schedules, pod run times
// and ledger intervals passes in 3,600 / speed real seconds, and no figure
// mixes real and simulated time. The product code is unchanged: it reads
// Date.now() and sets timers exactly as it does on a real cluster.
'use strict';

const speed = Number(process.env.AIP_CLOCK_SPEED || 1);
const epoch = Number(process.env.AIP_CLOCK_EPOCH_MS || 0);

if (speed !== 1 && speed > 0 && epoch > 0 && !globalThis.__aipSimClock) {
  globalThis.__aipSimClock = { speed, epoch };
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  const now = () => Math.floor(epoch + (realNow() - epoch) * speed);
  class SimDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(now());
      else super(...args);
    }
    static now() {
      return now();
    }
    static [Symbol.hasInstance](value) {
      return value instanceof RealDate;
    }
  }
  // Date() called without new returns a string of the current time.
  const DateFn = new Proxy(SimDate, {
    apply: () => new SimDate().toString(),
  });
  globalThis.Date = DateFn;

  const perfNow = performance.now.bind(performance);
  const perfStart = perfNow();
  performance.now = () => perfStart + (perfNow() - perfStart) * speed;

  const scale = ms => Math.max(0, Number(ms) || 0) / speed;
  const timers = require('node:timers');
  const { setTimeout: realSetTimeout, setInterval: realSetInterval } = timers;
  const simSetTimeout = (fn, ms, ...args) => realSetTimeout(fn, scale(ms), ...args);
  const simSetInterval = (fn, ms, ...args) => realSetInterval(fn, scale(ms), ...args);
  globalThis.setTimeout = simSetTimeout;
  globalThis.setInterval = simSetInterval;
  timers.setTimeout = simSetTimeout;
  timers.setInterval = simSetInterval;
  const promises = require('node:timers/promises');
  const realSleep = promises.setTimeout;
  promises.setTimeout = (ms, value, options) => realSleep(scale(ms), value, options);
}
