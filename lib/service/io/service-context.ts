/**
 * What every service action needs, injectable so tests never touch the real home or managers:
 * the platform, the home folder, the user id (launchd's domain) and the command runner.
 */
import type { CommandRunner } from "../../host/io/command-runner.ts";
import type { ServicePlatform } from "../service-names.ts";

export type ServiceContext = {
  platform: ServicePlatform;
  home: string;
  uid: number;
  runner: CommandRunner;
};

/** A runner that also keeps every command line it ran, for the action's report. */
export function recordCalls(runner: CommandRunner): CommandRunner & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run(argv) {
      calls.push([...argv]);
      return runner.run(argv);
    },
  };
}
