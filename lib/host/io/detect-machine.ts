/** What the machine is: RAM, physical cores, chip, OS. Reads the host, so callers pass the result on. */
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, release, totalmem, type } from "node:os";
import type { MachineInfo } from "../machine-info.ts";

export type { MachineInfo };

export function detectMachine(): MachineInfo {
  const cpuList = cpus();
  return {
    totalRamBytes: totalmem(),
    physicalCores: physicalCores() ?? Math.max(1, cpuList.length),
    usableCpus: availableParallelism(),
    chip: cpuList[0]?.model.trim() || "unknown",
    os: `${type()} ${release()}`,
  };
}

/** Physical cores: distinct (physical id, core id) pairs on Linux, hw.physicalcpu on macOS. */
function physicalCores(): number | null {
  try {
    if (process.platform === "linux") {
      const pairs = new Set<string>();
      let physical = "0";
      for (const line of readFileSync("/proc/cpuinfo", "utf8").split("\n")) {
        const [key, value] = line.split(":").map((s) => s.trim());
        if (key === "physical id") physical = value!;
        if (key === "core id") pairs.add(`${physical}/${value}`);
      }
      return pairs.size || null;
    }
    if (process.platform === "darwin") {
      const out = Bun.spawnSync(["sysctl", "-n", "hw.physicalcpu"]).stdout.toString().trim();
      return Number(out) || null;
    }
  } catch {
    // fall through to the logical count
  }
  return null;
}
