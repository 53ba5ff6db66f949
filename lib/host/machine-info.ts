/** What the machine is, as detected once at the edge and passed on as plain data. */
export type MachineInfo = {
  totalRamBytes: number;
  physicalCores: number;
  /** CPUs this process may run on (affinity, cgroup limits). */
  usableCpus: number;
  chip: string;
  os: string;
};
