import type { MachineFacts } from "./tune-documents.ts";

import type { MachineInfo } from "../host/machine-info.ts";

/** What machineFacts needs of detectMachine()'s report. */
export type DetectedMachine = Pick<MachineInfo, "totalRamBytes" | "physicalCores" | "chip" | "os">;

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
