import { describe, expect, test } from "bun:test";
import { restartHint, shellQuote } from "../../../lib/apply/restart-hint.ts";

const base = { uid: 501, home: "/Users/ada", configFile: "/Users/ada/.config/macprovider/config.yaml", defaultConfigFile: "/Users/ada/.config/macprovider/config.yaml" };

describe("restartHint()", () => {
  test("restartHint() for launchd boots the agent out and bootstraps its plist again", () => {
    expect(restartHint({ ...base, manager: "launchd" })).toBe(
      "restart the launchd agent: launchctl bootout gui/501/live.streamvc.macprovider; launchctl bootstrap gui/501 /Users/ada/Library/LaunchAgents/live.streamvc.macprovider.plist",
    );
  });

  test("restartHint() for systemd restarts the user unit", () => {
    expect(restartHint({ ...base, manager: "systemd" })).toBe("restart the systemd user unit: systemctl --user restart macprovider.service");
  });

  test("restartHint() for a foreground serve names --config only when it is not the default", () => {
    expect(restartHint({ ...base, manager: "foreground" })).toBe("stop the running `macprovider serve` (Ctrl-C) and start it again: macprovider serve");
    expect(restartHint({ ...base, manager: "foreground", configFile: "/srv/my configs/it's.yaml" })).toBe(
      "stop the running `macprovider serve` (Ctrl-C) and start it again: macprovider serve --config '/srv/my configs/it'\\''s.yaml'",
    );
  });

  test("restartHint() quotes a home folder with a space for the shell", () => {
    expect(restartHint({ ...base, manager: "launchd", home: "/Users/Ada Lovelace" })).toEndWith("gui/501 '/Users/Ada Lovelace/Library/LaunchAgents/live.streamvc.macprovider.plist'");
  });

  test.each([["plain/path-1.yaml", "plain/path-1.yaml"], ["a b", "'a b'"], ["", "''"], ["$HOME", "'$HOME'"]])("shellQuote(%p) is %p", (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });
});
