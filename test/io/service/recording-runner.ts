/**
 * The command runner for tests: records every command line and answers from a function, so no
 * test touches the host's real launchctl, systemctl or processes. Unanswered commands exit 0.
 */
import type { CommandResult, CommandRunner } from "../../../lib/host/io/command-runner.ts";

export type RecordingRunner = CommandRunner & { calls: string[][] };

export function recordingRunner(answer: (argv: string[]) => Partial<CommandResult> | undefined = () => undefined): RecordingRunner {
  const calls: string[][] = [];
  return {
    calls,
    async run(argv) {
      calls.push([...argv]);
      const a = answer([...argv]) ?? {};
      return { code: a.code ?? 0, stdout: a.stdout ?? "", stderr: a.stderr ?? "" };
    },
  };
}

/** Answers for `launchctl print` / `systemctl --user show`: the service loaded and running, or unknown. */
export const MANAGER_ANSWERS = {
  launchdRunning: { code: 0, stdout: "gui/501/live.streamvc.macprovider = {\n\tactive count = 1\n\tstate = running\n\tpid = 4242\n}\n" },
  launchdNotFound: { code: 113, stderr: 'Bad request.\nCould not find service "live.streamvc.macprovider" in domain for user gui: 501\n' },
  systemdRunning: { code: 0, stdout: "LoadState=loaded\nActiveState=active\nSubState=running\nMainPID=4242\nUnitFileState=enabled\n" },
  systemdNotFound: { code: 0, stdout: "LoadState=not-found\nActiveState=inactive\nSubState=dead\nMainPID=0\nUnitFileState=\n" },
  noBus: { code: 1, stderr: "Failed to connect to bus: No medium found\n" },
} as const;
