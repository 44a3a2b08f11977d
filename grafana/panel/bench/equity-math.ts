/**
 * `npm run bench`: time to prepare a week of 5-second equity samples (120,960 points) for a
 * 1,100-pixel-wide panel: high-water mark, drawdown, downsampling and the picked columns.
 */
import { counterIncreases, downsampleIndices, drawdown, highWaterMark, pick } from '../src/equity/math';

const n = 7 * 24 * 720;
const times = Float64Array.from({ length: n }, (_, i) => 1.7e12 + i * 5000);
const equity = Float64Array.from({ length: n }, (_, i) => 100_000 + 1000 * Math.sin(i / 5000) + ((i * 7919) % 101));
const fills = Float64Array.from({ length: n }, (_, i) => Math.floor(i / 40));

const runs: number[] = [];
let kept = 0;
for (let k = 0; k < 20; k++) {
  const t0 = performance.now();
  const hwm = highWaterMark(equity);
  const dd = drawdown(equity, hwm);
  const idx = downsampleIndices(times, [equity, dd.ratio], 1100);
  pick(equity, idx);
  pick(hwm, idx);
  pick(dd.ratio, idx);
  pick(dd.absolute, idx);
  counterIncreases(times, fills);
  runs.push(performance.now() - t0);
  kept = idx.length;
}
runs.sort((a, b) => a - b);
console.log(
  `${n} samples → ${kept} points; median ${runs[10].toFixed(1)} ms, worst ${runs[19].toFixed(1)} ms (20 runs)`
);
