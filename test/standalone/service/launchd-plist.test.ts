import { describe, expect, test } from "bun:test";
import { launchdPlist, xmlEscape } from "../../../lib/service/launchd-plist.ts";

describe("launchdPlist()", () => {
  test("launchdPlist() writes the label, one <string> per argument, RunAtLoad, KeepAlive and the log files", () => {
    const plist = launchdPlist({ programArguments: ["/usr/local/bin/macprovider", "serve", "--config", "/Users/ada/.config/macprovider/config.yaml"], logDir: "/Users/ada/Library/Logs/macprovider" });
    expect(plist).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
\t<key>Label</key>
\t<string>live.streamvc.macprovider</string>
\t<key>ProgramArguments</key>
\t<array>
\t\t<string>/usr/local/bin/macprovider</string>
\t\t<string>serve</string>
\t\t<string>--config</string>
\t\t<string>/Users/ada/.config/macprovider/config.yaml</string>
\t</array>
\t<key>RunAtLoad</key>
\t<true/>
\t<key>KeepAlive</key>
\t<true/>
\t<key>StandardOutPath</key>
\t<string>/Users/ada/Library/Logs/macprovider/macprovider.out.log</string>
\t<key>StandardErrorPath</key>
\t<string>/Users/ada/Library/Logs/macprovider/macprovider.err.log</string>
</dict>
</plist>
`);
  });

  test("launchdPlist() keeps a path with spaces whole and escapes & < > in it", () => {
    const plist = launchdPlist({ programArguments: ["/Applications/Mac Provider/bin/macprovider", "serve", "--config", "/Users/R&D <team>/config.yaml"], logDir: "/Users/R&D <team>/Library/Logs/macprovider" });
    expect(plist).toContain("\t\t<string>/Applications/Mac Provider/bin/macprovider</string>\n");
    expect(plist).toContain("\t\t<string>/Users/R&amp;D &lt;team&gt;/config.yaml</string>\n");
    expect(plist).toContain("<string>/Users/R&amp;D &lt;team&gt;/Library/Logs/macprovider/macprovider.err.log</string>");
  });

  test.each([["a&b", "a&amp;b"], ["<x>", "&lt;x&gt;"], [`"it's"`, "&quot;it&apos;s&quot;"], ["a b", "a b"], ["ünï", "ünï"]])("xmlEscape(%p) is %p", (raw, escaped) => {
    expect(xmlEscape(raw)).toBe(escaped);
  });

  test("xmlEscape() refuses a control character, naming the value", () => {
    expect(() => xmlEscape("/a\nb")).toThrow('service: "/a\\nb" has a control character and cannot be written into a launchd plist');
  });
});
