/**
 * SRV-3's default served context by RAM tier. Thresholds sit below the nominal sizes (8/16/32/64 GB)
 * so a machine reporting a little under its nominal RAM keeps its tier.
 */
const GiB = 1024 ** 3;

export const RAM_TIERS: readonly { minBytes: number; context: number }[] = [
  { minBytes: 60 * GiB, context: 200_000 },
  { minBytes: 30 * GiB, context: 120_000 },
  { minBytes: 15 * GiB, context: 50_000 },
  { minBytes: 0, context: 20_000 },
];

export function ramTierContext(totalRamBytes: number): number {
  return RAM_TIERS.find((t) => totalRamBytes >= t.minBytes)!.context;
}
