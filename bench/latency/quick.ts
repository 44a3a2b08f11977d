/** BENCH_QUICK=1: a smoke run of every part of bench/latency.ts in seconds (figures meaningless). */
export const QUICK = process.env.BENCH_QUICK === '1';
