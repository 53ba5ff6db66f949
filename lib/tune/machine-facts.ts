import type { MachineFacts } from "./tune-documents.ts";

/** What detectMachine() reports (lib/host/io/detect-machine.ts), restated so this module stays pure. */
export type DetectedMachine = { totalRamBytes: number; physicalCores: number; chip: string; os: string };

/**
 * REC-2 `machine`: what a recipe is for. RAM in GiB to one decimal, so the same machine gives the
 * same facts (and recipe hash) from run to run.
 */
export function machineFacts(machine: DetectedMachine, binaryVersion: string): MachineFacts {
  return {
    ram_gb: Math.round((machine.totalRamBytes / 2 ** 30) * 10) / 10,
    chip: machine.chip,
    os_version: machine.os,
    binary_version: binaryVersion,
    physical_cores: machine.physicalCores,
  };
}
