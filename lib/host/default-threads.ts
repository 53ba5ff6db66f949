import type { MachineInfo } from "./machine-info.ts";

/**
 * The thread count used when none is given: the physical cores, never more than the CPUs this
 * process may use. (node-llama-cpp's own default oversubscribes small CPUs 10–700× slower.)
 */
export function defaultThreads(machine: Pick<MachineInfo, "physicalCores" | "usableCpus">): number {
  return Math.max(1, Math.min(machine.physicalCores, machine.usableCpus));
}
